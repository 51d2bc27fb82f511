/** Search across regions, indicators and questions (to be built). */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';

export function mountSearch(_app: Hono<AppEnv>, _deps: AppDeps): void {}
