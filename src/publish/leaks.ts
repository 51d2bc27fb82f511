/**
 * What must never appear in a static export, read from the store and the catalog, with the
 * policy (src/api/policy.ts) saying what is not public: the ids (in links and file names) and
 * titles of indicators the public may not see; the emails and full names of accounts; API token
 * ids; uploaded files (name, hash); the sources (id, file name, hash) and notes of releases the
 * public may not see, and the numbers only those releases hold. Short or common strings are left
 * out where they would match innocent text (a one-word name, a three-digit count, a year).
 */
import { canSeeIndicator, canSeeRelease, PUBLIC_VIEWER } from '../api/policy.ts';
import type { Indicator } from '../indicators/index.ts';
import type { Store } from '../store/index.ts';

export interface LeakTerm {
  /** `url-token`: a whole segment of a link or file name; `number`: a whole number. */
  kind: 'text' | 'url-token' | 'number';
  text: string;
  /** What it is, for the message. */
  why: string;
}

/** `12345` → `12.345` (the portal's German grouping). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Numbers that only non-public releases hold: whole, at least 4 digits, not a year. */
async function draftNumbers(store: Store, hidden: number[]): Promise<LeakTerm[]> {
  if (hidden.length === 0) return [];
  const variableIds = await store.releaseVariables(hidden);
  if (variableIds.length === 0) return [];
  // What the public sees: the data as of the served release (a pending publication is hidden).
  const served = await store.latestPublishedRelease();
  const published = new Set(
    served === null
      ? []
      : (await store.queryObservations({ variableIds, releaseId: served.id }))
          .map((r) => r.value)
          .filter((v) => v !== null),
  );
  const out = new Map<number, LeakTerm[]>();
  const hiddenSet = new Set(hidden);
  for (const release of hidden) {
    for (const row of await store.queryObservations({ variableIds, releaseId: release })) {
      const v = row.value;
      if (!hiddenSet.has(row.releaseId) || v === null || published.has(v)) continue;
      if (!Number.isInteger(v) || Math.abs(v) < 1000 || (v >= 1900 && v <= 2100)) continue;
      const why = `a value of unpublished release ${row.releaseId} (${row.variableId} ${row.regionCode} ${row.period})`;
      out.set(v, [
        { kind: 'number', text: String(v), why },
        { kind: 'number', text: grouped(v), why },
      ]);
    }
  }
  return [...out.values()].flat();
}

export async function leakTerms(store: Store, catalog: readonly Indicator[]): Promise<LeakTerm[]> {
  const terms: LeakTerm[] = [];
  const visible = catalog.filter((i) => canSeeIndicator(PUBLIC_VIEWER, i));
  const visibleTitles = new Set(visible.flatMap((i) => [i.title_de, i.title_en]));
  for (const i of catalog.filter((c) => !canSeeIndicator(PUBLIC_VIEWER, c))) {
    const why = `the non-public indicator ${i.id}`;
    terms.push({ kind: 'url-token', text: i.id, why });
    for (const title of [i.title_de, i.title_en]) {
      if (title && title.length >= 8 && !visibleTitles.has(title)) {
        terms.push({ kind: 'text', text: title, why: `the title of ${why}` });
      }
    }
  }
  for (const user of await store.listUsers()) {
    terms.push({ kind: 'text', text: user.email, why: 'an account email' });
    const name = user.name.trim();
    if (/\s/.test(name) && name.length >= 6) {
      terms.push({ kind: 'text', text: name, why: 'an account name' });
    }
  }
  for (const token of await store.listApiTokens()) {
    if (token.id.length >= 8) terms.push({ kind: 'text', text: token.id, why: 'an API token id' });
  }
  for (const upload of await store.listUploads()) {
    terms.push({ kind: 'text', text: upload.sha256, why: 'an uploaded file' });
    if (upload.fileName.length >= 8) {
      terms.push({ kind: 'text', text: upload.fileName, why: 'an uploaded file name' });
    }
  }
  const releases = await store.listReleases();
  const hidden = releases.filter((r) => !canSeeRelease(PUBLIC_VIEWER, r));
  const hiddenIds = new Set(hidden.map((r) => r.id));
  const shownNotes = new Set(releases.filter((r) => !hiddenIds.has(r.id)).map((r) => r.note));
  for (const r of hidden) {
    if (r.note.length >= 16 && !shownNotes.has(r.note)) {
      terms.push({ kind: 'text', text: r.note, why: `the note of unpublished release ${r.id}` });
    }
  }
  const sources = await store.listSources();
  const shownFiles = new Set(
    sources.filter((s) => !hiddenIds.has(s.releaseId ?? -1)).map((s) => s.fileName),
  );
  for (const s of sources.filter((x) => hiddenIds.has(x.releaseId ?? -1))) {
    const why = `a source of unpublished release ${s.releaseId}`;
    terms.push({ kind: 'text', text: s.id, why }, { kind: 'text', text: s.fileSha256, why });
    if (!shownFiles.has(s.fileName)) terms.push({ kind: 'text', text: s.fileName, why });
  }
  terms.push(...(await draftNumbers(store, [...hiddenIds])));
  return terms;
}
