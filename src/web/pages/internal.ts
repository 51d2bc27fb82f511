/** The internal area (after login) (to be built). */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';

export function mountInternal(_app: Hono<AppEnv>, _deps: AppDeps): void {}
