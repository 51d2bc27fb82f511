/** Region list and region profiles (to be built). */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';

export function mountRegions(_app: Hono<AppEnv>, _deps: AppDeps): void {}
