/** Reports over HTTP (to be filled). */
import { newApi, type Api, type Services } from '../env.ts';

export function reportRoutes(_s: Services): Api {
  return newApi();
}
