/**
 * The workspace back as catalog/questions.yaml: the same layout as the hand-written file (flow
 * lists for areas and indicators, a blank line between questions), checked against the
 * catalog's own schema before it is handed out, so what is exported loads.
 */
import { Document, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import { BimoError } from '../domain/index.ts';
import { questionsSchema } from '../indicators/catalog.ts';
import type { WorkspaceState } from './workspace.ts';

const HEADER = [
  ' Handlungsfelder und Fragestellungen der AG Bildungsmonitoring.',
  ' Exportiert aus dem Arbeitsbereich von bimo (/intern/ag); ersetzt catalog/questions.yaml.',
  ' chosen: false = Handlungsfeld von der AG abgewählt (im Portal nicht gezeigt).',
  ' next_report: true = für den nächsten Bildungsbericht vorgemerkt.',
];

/** The YAML text of the current state; removed items are left out. */
export function exportQuestionsYaml(
  state: WorkspaceState,
  indicatorIds: ReadonlySet<string>,
  stand: string,
): string {
  const fields = state.fields.filter((f) => !f.deleted);
  const questions = state.questions.filter((q) => !q.deleted);
  const data = {
    handlungsfelder: fields.map((f) => ({
      id: f.id,
      title_de: f.body.title_de,
      title_en: f.body.title_en,
      areas: f.body.areas,
      ...(f.body.chosen ? {} : { chosen: false }),
    })),
    questions: questions.map((q) => ({
      id: q.id,
      handlungsfeld: q.body.handlungsfeld,
      title_de: q.body.title_de,
      title_en: q.body.title_en,
      indicators: q.body.indicators,
      ...(q.body.origin_de ? { origin_de: q.body.origin_de } : {}),
      next_report: q.body.next_report,
    })),
  };
  check(data, indicatorIds);
  const doc = new Document(data);
  doc.commentBefore = [...HEADER, ` Stand: ${stand}.`].join('\n');
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && (pair.key.value === 'areas' || pair.key.value === 'indicators')) {
        if (isSeq(pair.value)) pair.value.flow = true;
      }
    },
  });
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      if (isScalar(pair.key) && pair.key.value === 'questions') pair.key.spaceBefore = true;
      if (isSeq(pair.value) && pair.value !== root.items[0]?.value) {
        for (const item of pair.value.items.slice(1)) (item as Node).spaceBefore = true;
      }
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The export obeys the catalog's schema and references, or nothing is handed out. */
function check(data: unknown, indicatorIds: ReadonlySet<string>): void {
  const parsed = questionsSchema.safeParse(data);
  const bad = (message: string): never => {
    throw new BimoError(
      'BIMO_E_CATALOG',
      `Der Arbeitsstand ergibt keine gültige questions.yaml: ${message}`,
      'Korrigieren Sie das genannte Element im Arbeitsbereich und exportieren Sie erneut.',
    );
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'ungültig'}`);
  }
  const fields = new Set(parsed.data.handlungsfelder.map((h) => h.id));
  for (const q of parsed.data.questions) {
    if (!fields.has(q.handlungsfeld)) bad(`${q.id}: Handlungsfeld ${q.handlungsfeld} fehlt`);
    const unknown = q.indicators.filter((id) => !indicatorIds.has(id));
    if (unknown.length > 0) bad(`${q.id}: unbekannte Indikatoren ${unknown.join(', ')}`);
  }
}
