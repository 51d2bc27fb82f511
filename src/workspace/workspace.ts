/**
 * The AG Bildungsmonitoring's workspace: its Handlungsfelder (which it chooses) and
 * Fragestellungen (which it writes, links to indicators and marks for the next report).
 *
 * catalog/questions.yaml is the starting point; every save appends a revision (migration 7,
 * src/store/sql-workspace.ts), so the current state is the catalog overlaid with each item's
 * newest revision, and an item's history is its revisions. Pure functions: the pages
 * (src/web/pages/internal/workspace.ts) read the revisions, ask here what a form means, and hand
 * the resulting changes to the store, which refuses them if someone saved in between.
 */
import { z } from 'zod';
import { BimoError } from '../domain/index.ts';
import { AREA_IDS, type Catalog } from '../indicators/index.ts';
import type {
  NewWorkspaceRevision,
  WorkspaceChange,
  WorkspaceKind,
  WorkspaceRevision,
} from '../store/index.ts';

export type AreaId = (typeof AREA_IDS)[number];

const fieldBody = z.object({
  title_de: z.string(),
  title_en: z.string(),
  areas: z.array(z.enum(AREA_IDS)),
  chosen: z.boolean(),
});
const questionBody = z.object({
  handlungsfeld: z.string(),
  title_de: z.string(),
  title_en: z.string(),
  indicators: z.array(z.string()),
  origin_de: z.string(),
  next_report: z.boolean(),
});
export type FieldBody = z.infer<typeof fieldBody>;
export type QuestionBody = z.infer<typeof questionBody>;

/** A Handlungsfeld or a Fragestellung as it stands, with where it stands from. */
export interface Versioned<B> {
  id: string;
  body: B;
  deleted: boolean;
  /** The newest revision's id; 0 while the item is as the catalog has it. */
  revision: number;
  changedBy: string | null;
  changedAt: string | null;
  /** The item as catalog/questions.yaml has it; null when it was made in the workspace. */
  catalog: B | null;
}
export type WsField = Versioned<FieldBody>;
export type WsQuestion = Versioned<QuestionBody>;

export interface WorkspaceState {
  fields: WsField[];
  questions: WsQuestion[];
  /** The newest revision's id over all items (0: nothing saved yet). */
  latest: number;
}

type QuestionsPart = Pick<Catalog, 'handlungsfelder' | 'questions'>;

function bodyOf(r: WorkspaceRevision): FieldBody | QuestionBody {
  const parsed = (r.kind === 'handlungsfeld' ? fieldBody : questionBody).safeParse(r.body);
  if (!parsed.success) {
    throw new BimoError(
      'BIMO_E_DATABASE',
      `workspace revision ${r.id} (${r.kind} ${r.itemId}) has a body this version cannot read`,
      'Restore the database from a backup or remove the revision; then report the problem.',
    );
  }
  return parsed.data;
}

/** The catalog overlaid with each item's newest revision (catalog order, then new items). */
export function workspaceState(
  catalog: QuestionsPart,
  revisions: readonly WorkspaceRevision[],
): WorkspaceState {
  const overlay = <B>(kind: WorkspaceKind, start: { id: string; body: B }[]): Versioned<B>[] => {
    const items = new Map<string, Versioned<B>>(
      start.map((s) => [
        s.id,
        {
          id: s.id,
          body: s.body,
          deleted: false,
          revision: 0,
          changedBy: null,
          changedAt: null,
          catalog: s.body,
        },
      ]),
    );
    for (const r of revisions) {
      if (r.kind !== kind) continue;
      const before = items.get(r.itemId);
      items.set(r.itemId, {
        id: r.itemId,
        body: bodyOf(r) as B,
        deleted: r.deleted,
        revision: r.id,
        changedBy: r.author,
        changedAt: r.at,
        catalog: before?.catalog ?? null,
      });
    }
    return [...items.values()];
  };
  const fields = overlay<FieldBody>(
    'handlungsfeld',
    catalog.handlungsfelder.map((h) => ({
      id: h.id,
      body: { title_de: h.title_de, title_en: h.title_en, areas: [...h.areas], chosen: h.chosen },
    })),
  );
  const questions = overlay<QuestionBody>(
    'question',
    catalog.questions.map((q) => ({
      id: q.id,
      body: {
        handlungsfeld: q.handlungsfeld,
        title_de: q.title_de,
        title_en: q.title_en,
        indicators: [...q.indicators],
        origin_de: q.origin_de,
        next_report: q.next_report,
      },
    })),
  );
  const latest = revisions.reduce((m, r) => Math.max(m, r.id), 0);
  return { fields, questions, latest };
}

/** The items that have changed against the catalog (made, edited or removed). */
export function changedItems(state: WorkspaceState): (WsField | WsQuestion)[] {
  const differs = (v: Versioned<unknown>) =>
    v.catalog === null
      ? !v.deleted
      : v.deleted || JSON.stringify(v.body) !== JSON.stringify(v.catalog);
  return [...state.fields, ...state.questions].filter(differs);
}

// ── What a form means ────────────────────────────────────────────────────────────────────────

/** A form's fields: one value, or several for checkboxes of one name. */
export type FormInput = Record<string, string | string[] | undefined>;

/** A problem with one form field, in the words of the (German) form. */
export interface FieldProblem {
  field: string;
  message: string;
}

export type Checked<B> = { ok: true; body: B } | { ok: false; problems: FieldProblem[] };

const MAX_TITLE = 400;
const MAX_NOTE = 1000;
const MAX_INDICATORS = 40;

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);

/** Trimmed, inner whitespace runs (line breaks too) to one space, control characters out. */
function clean(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function text(
  input: FormInput,
  field: string,
  label: string,
  problems: FieldProblem[],
  required: boolean,
): string {
  const value = clean(input[field]);
  if (required && !value) problems.push({ field, message: `${label}: bitte ausfüllen.` });
  if (value.length > MAX_TITLE) {
    problems.push({
      field,
      message: `${label}: höchstens ${MAX_TITLE} Zeichen (jetzt ${value.length}).`,
    });
  }
  return value;
}

/** The editor's note on a change (optional, one line of up to 1000 characters). */
export function noteOf(input: FormInput): string {
  return clean(input.note).slice(0, MAX_NOTE);
}

/** A Fragestellung from its form; the Handlungsfeld must exist, the indicators be known. */
export function checkQuestion(
  input: FormInput,
  state: WorkspaceState,
  indicatorIds: ReadonlySet<string>,
): Checked<QuestionBody> {
  const problems: FieldProblem[] = [];
  const title_de = text(input, 'title_de', 'Fragestellung (deutsch)', problems, true);
  const title_en = text(input, 'title_en', 'Fragestellung (englisch)', problems, true);
  const origin_de = text(input, 'origin_de', 'Herkunft', problems, false);
  const handlungsfeld = clean(input.handlungsfeld);
  if (!state.fields.some((f) => f.id === handlungsfeld && !f.deleted)) {
    problems.push({ field: 'handlungsfeld', message: 'Handlungsfeld: bitte eines auswählen.' });
  }
  const indicators = [...new Set(list(input.indicators))];
  const unknown = indicators.filter((id) => !indicatorIds.has(id));
  if (unknown.length > 0) {
    problems.push({
      field: 'indicators',
      message: `Indikatoren: ${unknown.join(', ')} gibt es im Katalog nicht.`,
    });
  } else if (indicators.length === 0) {
    problems.push({
      field: 'indicators',
      message: 'Indikatoren: bitte mindestens einen Indikator verknüpfen.',
    });
  } else if (indicators.length > MAX_INDICATORS) {
    problems.push({
      field: 'indicators',
      message: `Indikatoren: höchstens ${MAX_INDICATORS} (jetzt ${indicators.length}).`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const next_report = clean(input.next_report) !== '';
  return {
    ok: true,
    body: { handlungsfeld, title_de, title_en, indicators, origin_de, next_report },
  };
}

/** A Handlungsfeld from its form. */
export function checkField(input: FormInput): Checked<FieldBody> {
  const problems: FieldProblem[] = [];
  const title_de = text(input, 'title_de', 'Handlungsfeld (deutsch)', problems, true);
  const title_en = text(input, 'title_en', 'Handlungsfeld (englisch)', problems, true);
  const known = new Set<string>(AREA_IDS);
  const areas = [...new Set(list(input.areas))];
  if (areas.length === 0 || areas.some((a) => !known.has(a))) {
    problems.push({ field: 'areas', message: 'Bildungsbereiche: bitte mindestens einen wählen.' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const chosen = clean(input.chosen) !== '';
  return { ok: true, body: { title_de, title_en, areas: areas as AreaId[], chosen } };
}

// ── Changes ──────────────────────────────────────────────────────────────────────────────────

/** Who saves, when, and why. */
export interface Author {
  email: string;
  at: string;
  note: string;
}

function change(
  kind: WorkspaceKind,
  item: { id: string; revision: number },
  body: FieldBody | QuestionBody,
  deleted: boolean,
  by: Author,
): WorkspaceChange {
  const revision: NewWorkspaceRevision = {
    kind,
    itemId: item.id,
    body,
    deleted,
    author: by.email,
    at: by.at,
    note: by.note,
  };
  return { revision, expectedLatest: item.revision };
}

/** The next free question id: FS01 … FS99, then FS100 … (the catalog's pattern). */
export function nextQuestionId(state: WorkspaceState): string {
  const max = state.questions.reduce((m, q) => Math.max(m, Number(q.id.slice(2)) || 0), 0);
  const n = max + 1;
  if (n > 999) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      'the workspace has run out of question numbers (FS999)',
      'Remove unused questions from the catalog and renumber.',
    );
  }
  return `FS${String(n).padStart(2, '0')}`;
}

/** `hf-` and a slug of the German title, unique among the fields. */
export function nextFieldId(state: WorkspaceState, title: string): string {
  const slug =
    title
      .toLowerCase()
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/ß/g, 'ss')
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'feld';
  const taken = new Set(state.fields.map((f) => f.id));
  let id = `hf-${slug}`;
  for (let i = 2; taken.has(id); i++) id = `hf-${slug}-${i}`;
  return id;
}

/** Saves a question as `body`: a new one (id null) gets the next number. */
export function saveQuestion(
  state: WorkspaceState,
  id: string | null,
  body: QuestionBody,
  by: Author,
  expected?: number,
): WorkspaceChange {
  if (id === null)
    return change('question', { id: nextQuestionId(state), revision: 0 }, body, false, by);
  const q = findItem(state.questions, id);
  return change('question', { id, revision: expected ?? q.revision }, body, false, by);
}

/** Saves a Handlungsfeld as `body`: a new one (id null) gets an id from its title. */
export function saveField(
  state: WorkspaceState,
  id: string | null,
  body: FieldBody,
  by: Author,
  expected?: number,
): WorkspaceChange {
  if (id === null) {
    return change(
      'handlungsfeld',
      { id: nextFieldId(state, body.title_de), revision: 0 },
      body,
      false,
      by,
    );
  }
  const f = findItem(state.fields, id);
  return change('handlungsfeld', { id, revision: expected ?? f.revision }, body, false, by);
}

/** The AG's choice of Handlungsfelder: a change for each field whose choice differs. */
export function chooseFields(
  state: WorkspaceState,
  chosen: ReadonlySet<string>,
  by: Author,
): WorkspaceChange[] {
  return state.fields
    .filter((f) => !f.deleted && f.body.chosen !== chosen.has(f.id))
    .map((f) => change('handlungsfeld', f, { ...f.body, chosen: chosen.has(f.id) }, false, by));
}

/** Removes a question (its text stays in the history and can be restored). */
export function removeQuestion(
  state: WorkspaceState,
  id: string,
  by: Author,
  expected?: number,
): WorkspaceChange {
  const q = findItem(state.questions, id);
  return change('question', { id, revision: expected ?? q.revision }, q.body, true, by);
}

/** Removes a Handlungsfeld; refused while questions still belong to it. */
export function removeField(
  state: WorkspaceState,
  id: string,
  by: Author,
  expected?: number,
): WorkspaceChange {
  const f = findItem(state.fields, id);
  const inUse = state.questions.filter((q) => !q.deleted && q.body.handlungsfeld === id);
  if (inUse.length > 0) {
    throw new BimoError(
      'BIMO_E_CONFLICT',
      `Das Handlungsfeld »${f.body.title_de}« hat noch ${inUse.length} Fragestellung(en): ${inUse.map((q) => q.id).join(', ')}.`,
      'Ordnen Sie diese Fragestellungen zuerst einem anderen Handlungsfeld zu oder entfernen Sie sie. Ein Handlungsfeld, das nur vorübergehend nicht beobachtet wird, wählen Sie besser ab.',
    );
  }
  return change('handlungsfeld', { id, revision: expected ?? f.revision }, f.body, true, by);
}

/**
 * Brings back an earlier version (a revision of the item's history, or 0: the catalog's text),
 * also of a removed item. A restored question whose Handlungsfeld is gone is refused.
 */
export function restoreVersion(
  state: WorkspaceState,
  kind: WorkspaceKind,
  id: string,
  history: readonly WorkspaceRevision[],
  version: number,
  by: Author,
  expected?: number,
): WorkspaceChange {
  const item = kind === 'question' ? findItem(state.questions, id) : findItem(state.fields, id);
  const from =
    version === 0
      ? null
      : history.find((r) => r.id === version && r.kind === kind && r.itemId === id);
  const body = version === 0 ? item.catalog : from ? bodyOf(from) : null;
  if (!body) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `Fassung ${version} von ${id} gibt es nicht.`,
      'Wählen Sie eine Fassung aus der Liste der Änderungen.',
    );
  }
  if (kind === 'question') {
    const field = (body as QuestionBody).handlungsfeld;
    if (!state.fields.some((f) => f.id === field && !f.deleted)) {
      throw new BimoError(
        'BIMO_E_CONFLICT',
        `Das Handlungsfeld ${field} dieser Fassung gibt es nicht mehr.`,
        'Stellen Sie zuerst das Handlungsfeld wieder her, oder bearbeiten Sie die Fragestellung und wählen Sie ein anderes.',
      );
    }
  }
  return change(kind, { id, revision: expected ?? item.revision }, body, false, by);
}

/** The item of this id, or a 404 error that points back to the overview. */
export function findItem<T extends { id: string }>(items: readonly T[], id: string): T {
  const item = items.find((i) => i.id === id);
  if (!item) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `${id} gibt es im Arbeitsbereich nicht.`,
      'Folgen Sie den Links der Übersicht.',
    );
  }
  return item;
}

// ── History ──────────────────────────────────────────────────────────────────────────────────

const LABELS: Record<string, string> = {
  title_de: 'Titel (deutsch)',
  title_en: 'Titel (englisch)',
  handlungsfeld: 'Handlungsfeld',
  indicators: 'Indikatoren',
  origin_de: 'Herkunft',
  next_report: 'Für den nächsten Bericht',
  areas: 'Bildungsbereiche',
  chosen: 'Ausgewählt',
};

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

const shown = (v: unknown): string =>
  Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'ja' : 'nein') : String(v ?? '');

/** What a version changed against the one before it (null before: everything is new). */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return Object.keys(LABELS)
    .filter((k) => k in b || k in a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => ({ field: k, label: LABELS[k] ?? k, before: shown(a[k]), after: shown(b[k]) }));
}
