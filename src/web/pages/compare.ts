/** The comparison page (to be built). */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';

export function mountCompare(_app: Hono<AppEnv>, _deps: AppDeps): void {}
