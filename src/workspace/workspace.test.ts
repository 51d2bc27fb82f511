import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG_DIR, loadCatalogFull } from '../indicators/index.ts';
import { questionsSchema } from '../indicators/catalog.ts';
import type { WorkspaceChange, WorkspaceRevision } from '../store/index.ts';
import {
  changedItems,
  checkField,
  checkQuestion,
  chooseFields,
  exportQuestionsYaml,
  fieldChanges,
  nextFieldId,
  removeField,
  removeQuestion,
  restoreVersion,
  saveQuestion,
  workspaceState,
  type Author,
} from './index.ts';

const catalog = loadCatalogFull();
const ids = new Set(catalog.indicators.map((i) => i.id));
const by: Author = { email: 'ag@example.org', at: '2026-11-22T10:00:00.000Z', note: 'Sitzung 3' };

/** What the store does with changes: number them on from the history. */
function apply(history: WorkspaceRevision[], changes: WorkspaceChange[]): WorkspaceRevision[] {
  let id = history.reduce((m, r) => Math.max(m, r.id), 0);
  return [...history, ...changes.map((c) => ({ ...c.revision, id: ++id }))];
}

describe('workspace state', () => {
  it('starts as the catalog, unchanged, and exports a file equal to catalog/questions.yaml', () => {
    const state = workspaceState(catalog, []);
    expect(state.fields.map((f) => f.id)).toEqual(catalog.handlungsfelder.map((h) => h.id));
    expect(state.questions).toHaveLength(catalog.questions.length);
    expect(changedItems(state)).toEqual([]);
    const exported = exportQuestionsYaml(state, ids, '22.11.2026');
    const original = questionsSchema.parse(
      parse(readFileSync(join(CATALOG_DIR, 'questions.yaml'), 'utf8')),
    );
    expect(questionsSchema.parse(parse(exported))).toEqual(original);
    // The layout of the hand-written file: flow lists, a blank line between questions.
    expect(exported).toContain('    indicators: [D6, D6-geschlecht, E5a]\n');
    expect(exported).toMatch(/next_report: true\n\n {2}- id: FS02\n/);
    expect(exported.startsWith('# Handlungsfelder und Fragestellungen der AG')).toBe(true);
  });

  it('overlays revisions: an edit, a new question, a removal, and the choice of fields', () => {
    let history: WorkspaceRevision[] = [];
    let state = workspaceState(catalog, history);
    const fs01 = state.questions.find((q) => q.id === 'FS01');
    if (!fs01) throw new Error('FS01 missing');
    history = apply(history, [
      saveQuestion(state, 'FS01', { ...fs01.body, next_report: false, indicators: ['D6'] }, by),
    ]);
    state = workspaceState(catalog, history);
    const n = catalog.questions.length;
    const nextId = `FS${String(Math.max(...catalog.questions.map((q) => Number(q.id.slice(2)))) + 1).padStart(2, '0')}`;
    const made = saveQuestion(
      state,
      null,
      {
        handlungsfeld: 'hf-schulerfolg',
        title_de: 'Wie viele wechseln die Schulform?',
        title_en: 'How many change school type?',
        indicators: ['D2'],
        origin_de: '',
        next_report: true,
      },
      by,
    );
    expect(made.revision.itemId).toBe(nextId);
    expect(made.expectedLatest).toBe(0);
    history = apply(history, [made]);
    state = workspaceState(catalog, history);
    history = apply(history, [removeQuestion(state, 'FS02', by)]);
    state = workspaceState(catalog, history);
    history = apply(history, [
      ...chooseFields(
        state,
        new Set(state.fields.map((f) => f.id).filter((id) => id !== 'hf-hochschule')),
        by,
      ),
    ]);
    state = workspaceState(catalog, history);

    expect(state.latest).toBe(4);
    expect(state.questions).toHaveLength(n + 1);
    const edited = state.questions.find((q) => q.id === 'FS01');
    expect(edited).toMatchObject({ revision: 1, changedBy: 'ag@example.org' });
    expect(edited?.body.indicators).toEqual(['D6']);
    expect(changedItems(state).map((i) => i.id)).toEqual(['hf-hochschule', 'FS01', 'FS02', nextId]);

    const doc = questionsSchema.parse(parse(exportQuestionsYaml(state, ids, 'heute')));
    expect(doc.questions.find((q) => q.id === 'FS02')).toBeUndefined();
    expect(doc.questions.find((q) => q.id === nextId)?.title_de).toBe(
      'Wie viele wechseln die Schulform?',
    );
    expect(doc.handlungsfelder.find((h) => h.id === 'hf-hochschule')?.chosen).toBe(false);
    expect(doc.handlungsfelder.find((h) => h.id === 'hf-schulerfolg')?.chosen).toBe(true);
  });

  it('restores the catalog text or an earlier version, also of a removed question', () => {
    let history: WorkspaceRevision[] = [];
    let state = workspaceState(catalog, history);
    const fs03 = state.questions.find((q) => q.id === 'FS03');
    if (!fs03) throw new Error('FS03 missing');
    history = apply(history, [
      saveQuestion(state, 'FS03', { ...fs03.body, title_de: 'Erste Fassung' }, by),
    ]);
    state = workspaceState(catalog, history);
    history = apply(history, [removeQuestion(state, 'FS03', by)]);
    state = workspaceState(catalog, history);
    expect(state.questions.find((q) => q.id === 'FS03')?.deleted).toBe(true);

    const back = restoreVersion(state, 'question', 'FS03', history, 1, by);
    expect(back).toMatchObject({ expectedLatest: 2, revision: { deleted: false } });
    expect((back.revision.body as { title_de: string }).title_de).toBe('Erste Fassung');
    const original = restoreVersion(state, 'question', 'FS03', history, 0, by);
    expect((original.revision.body as { title_de: string }).title_de).toBe(fs03.body.title_de);
    expect(() => restoreVersion(state, 'question', 'FS03', history, 99, by)).toThrow(
      /Fassung 99 von FS03 gibt es nicht/,
    );
  });

  it('refuses to remove a Handlungsfeld that still has questions', () => {
    const state = workspaceState(catalog, []);
    expect(() => removeField(state, 'hf-schulerfolg', by)).toThrow(
      /hat noch \d+ Fragestellung\(en\): FS01/,
    );
  });

  it('names the changed fields of a version in German', () => {
    expect(
      fieldChanges(
        { title_de: 'A', indicators: ['D6'], next_report: true },
        { title_de: 'B', indicators: ['D6', 'D7'], next_report: true },
      ),
    ).toEqual([
      { field: 'title_de', label: 'Titel (deutsch)', before: 'A', after: 'B' },
      { field: 'indicators', label: 'Indikatoren', before: 'D6', after: 'D6, D7' },
    ]);
  });
});

describe('forms', () => {
  const state = workspaceState(catalog, []);

  it('reads a question form: trimmed text, checkboxes, the next-report mark', () => {
    const checked = checkQuestion(
      {
        title_de: '  Wie viele\r\n Kinder  ',
        title_en: 'How many children',
        handlungsfeld: 'hf-fruehe-bildung',
        indicators: ['C1', 'C1', 'C2'],
        next_report: 'on',
      },
      state,
      ids,
    );
    expect(checked).toEqual({
      ok: true,
      body: {
        handlungsfeld: 'hf-fruehe-bildung',
        title_de: 'Wie viele Kinder',
        title_en: 'How many children',
        indicators: ['C1', 'C2'],
        origin_de: '',
        next_report: true,
      },
    });
  });

  it('names each problem by its field, in German', () => {
    const checked = checkQuestion(
      {
        title_de: '',
        title_en: 'x'.repeat(401),
        handlungsfeld: 'hf-gibt-es-nicht',
        indicators: ['Z9'],
      },
      state,
      ids,
    );
    expect(checked).toEqual({
      ok: false,
      problems: [
        { field: 'title_de', message: 'Fragestellung (deutsch): bitte ausfüllen.' },
        {
          field: 'title_en',
          message: 'Fragestellung (englisch): höchstens 400 Zeichen (jetzt 401).',
        },
        { field: 'handlungsfeld', message: 'Handlungsfeld: bitte eines auswählen.' },
        { field: 'indicators', message: 'Indikatoren: Z9 gibt es im Katalog nicht.' },
      ],
    });
  });

  it('reads a Handlungsfeld form and gives a new field a readable unique id', () => {
    expect(
      checkField({
        title_de: 'Digitale Bildung',
        title_en: 'Digital education',
        areas: ['D', 'G'],
        chosen: 'on',
      }),
    ).toEqual({
      ok: true,
      body: {
        title_de: 'Digitale Bildung',
        title_en: 'Digital education',
        areas: ['D', 'G'],
        chosen: true,
      },
    });
    expect(checkField({ title_de: 'X', title_en: 'X', areas: ['Q'] })).toMatchObject({ ok: false });
    expect(nextFieldId(state, 'Übergänge & Bildungswege – Schule/Beruf')).toBe(
      'hf-uebergaenge-bildungswege-schule-beruf',
    );
    expect(nextFieldId(state, 'Hochschule')).toBe('hf-hochschule-2');
  });
});
