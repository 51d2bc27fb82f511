/**
 * `bimo questions [list | export] [--out FILE] [--format json]`: the AG workspace's current
 * Handlungsfelder and Fragestellungen (catalog/questions.yaml overlaid with the revisions saved
 * in /intern/ag). `export` writes them as questions.yaml, for an admin to replace the catalog's
 * file with, so that the public portal shows what the AG decided.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BimoError } from '../../domain/index.ts';
import { loadCatalogFull } from '../../indicators/index.ts';
import type { Store } from '../../store/index.ts';
import { changedItems, exportQuestionsYaml, workspaceState } from '../../workspace/index.ts';
import type { Io } from '../context.ts';

export async function questionsCommand(
  store: Store,
  io: Io,
  args: string[],
  opts: { out?: string | undefined; json: boolean },
): Promise<number> {
  const [sub = 'list', ...extra] = args;
  if (extra.length > 0 || (sub !== 'list' && sub !== 'export')) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `unknown questions command "${[sub, ...extra].join(' ')}"`,
      'Use `bimo questions list` or `bimo questions export --out catalog/questions.yaml`.',
    );
  }
  const catalog = loadCatalogFull();
  const revisions = await store.listWorkspaceRevisions();
  const state = workspaceState(catalog, revisions);
  if (sub === 'export') {
    const stand = `${new Date().toISOString().slice(0, 10)}, Arbeitsstand ${state.latest}`;
    const text = exportQuestionsYaml(state, new Set(catalog.indicators.map((i) => i.id)), stand);
    if (opts.out === undefined) io.out(text.trimEnd());
    else {
      writeFileSync(resolve(io.cwd, opts.out), text);
      io.log(
        `questions: wrote ${opts.out} (${changedItems(state).length} change(s) against the catalog)`,
      );
    }
    return 0;
  }
  const live = state.questions.filter((q) => !q.deleted);
  if (opts.json) {
    io.out(
      JSON.stringify(
        { latest: state.latest, fields: state.fields, questions: state.questions },
        null,
        2,
      ),
    );
    return 0;
  }
  for (const f of state.fields.filter((x) => !x.deleted)) {
    io.out(`${f.id}  ${f.body.title_de}${f.body.chosen ? '' : '  (abgewählt)'}`);
    for (const q of live.filter((x) => x.body.handlungsfeld === f.id)) {
      const mark = q.body.next_report ? '*' : ' ';
      io.out(`  ${mark} ${q.id}  ${q.body.title_de}  [${q.body.indicators.join(', ')}]`);
    }
  }
  const changed = changedItems(state).length;
  io.out(
    `\n* = für den nächsten Bericht vorgemerkt; ${changed} Änderung(en) gegenüber dem Katalog`,
  );
  return 0;
}
