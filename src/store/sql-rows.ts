/** Typed values out of an SqlRow (whose values are `unknown`), for every part of the SqlStore. */
import type { Release, ReleaseStatus } from '../domain/index.ts';
import type { SqlRow } from './sql.ts';

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : String(v);
export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);

/** Shared by the import (the new release) and the release queries. */
export function toRelease(r: SqlRow): Release {
  return {
    id: Number(r.id),
    status: str(r.status) as ReleaseStatus,
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
    publishedAt: strOrNull(r.published_at),
    computedAt: strOrNull(r.computed_at),
    note: str(r.note),
  };
}
