/** Imports over HTTP (to be filled). */
import { newApi, type Api, type Services } from '../env.ts';

export function importRoutes(_s: Services): Api {
  return newApi();
}
