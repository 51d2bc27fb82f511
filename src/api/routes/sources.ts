/** Sources and provenance over HTTP (to be filled). */
import { newApi, type Api, type Services } from '../env.ts';

export function sourceRoutes(_s: Services): Api {
  return newApi();
}
