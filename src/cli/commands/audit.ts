/**
 * `bimo audit [--since DATE] [--actor WHO] [--action NAME] [--limit N] [--format json]`: the
 * audit log, newest first. Reading it is not itself recorded; it holds no passwords, hashes or
 * tokens (docs/accounts.md lists what each action records).
 */
import { BimoError } from '../../domain/index.ts';
import type { AuditQuery, Store } from '../../store/index.ts';
import type { Io } from '../context.ts';

export interface AuditOptions {
  since?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  limit?: string | undefined;
  json?: boolean;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?)?$/;

function sinceOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!ISO.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--since "${raw}" is not a date`,
      'Give a date or UTC time, e.g. --since 2026-01-01 or --since 2026-01-01T08:00Z.',
      { field: 'since' },
    );
  }
  // Events are stored with UTC ISO times, so comparing the text compares the times.
  return raw.length > 10 ? new Date(raw.endsWith('Z') ? raw : `${raw}Z`).toISOString() : raw;
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `--limit "${raw}" is not a number from 1 to ${MAX_LIMIT}`,
      'e.g. --limit 500',
      { field: 'limit' },
    );
  }
  return n;
}

export async function auditCommand(store: Store, io: Io, opts: AuditOptions): Promise<number> {
  const q: AuditQuery = { limit: limitOf(opts.limit) };
  const since = sinceOf(opts.since);
  if (since !== undefined) q.since = since;
  // Accounts are stored in lower case; `cli:<user>` and `(unknown)` are kept as written.
  if (opts.actor !== undefined)
    q.actor = opts.actor.includes('@') ? opts.actor.trim().toLowerCase() : opts.actor;
  if (opts.action !== undefined) q.action = opts.action;
  const events = await store.listAudit(q);
  if (opts.json) io.out(JSON.stringify(events, null, 2));
  else {
    for (const e of events) {
      const details = Object.keys(e.details).length ? JSON.stringify(e.details) : '';
      io.out(
        `${e.at}\t${e.outcome}\t${e.action}\t${e.actor}\t${e.target}\t${e.ip ?? '-'}\t${details}`,
      );
    }
    io.log(
      `${events.length} event(s), newest first${events.length === q.limit ? ` (more with --limit ${Math.min(q.limit * 10, MAX_LIMIT)})` : ''}`,
    );
  }
  return 0;
}
