/**
 * Generates docs/indikatoren/ from the YAML catalog: an index (areas, Handlungsfelder with
 * their Fragestellungen) and one German page per indicator. The pages are never edited by hand:
 * `npm run docs:catalog` rewrites them, and test/integration/catalog-docs.test.ts fails when
 * they drift from catalog/. Output is deterministic and already prettier-formatted, so
 * `prettier --check` stays green.
 *
 *   npx tsx scripts/gen-catalog-docs.ts [OUT_DIR]   (default docs/indikatoren)
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { documentationProblems, questionsOf, variablesOf } from '../src/cli/commands/catalog.ts';
import { BimoError } from '../src/domain/index.ts';
import { formatFormula } from '../src/indicators/formula/index.ts';
import { loadCatalogFull, type Catalog, type Indicator } from '../src/indicators/index.ts';

export const DOCS_DIR = fileURLToPath(new URL('../docs/indikatoren', import.meta.url));
const GENERATED = '<!-- generated from catalog/ — do not edit; run npm run docs:catalog -->';

const POLARITY: Record<Indicator['polarity'], string> = {
  higher_is_better: 'höher ist besser',
  lower_is_better: 'niedriger ist besser',
  neutral: 'neutral – ein höherer Wert ist weder besser noch schlechter',
};
const PERIOD_KIND: Record<Indicator['period_kind'], string> = {
  schuljahr: 'Schuljahr',
  stichtag: 'Stichtag (31.12. des Berichtsjahres)',
  jahr: 'Kalenderjahr',
  semester: 'Semester',
};
const STATUS: Record<Indicator['status'], string> = { active: 'aktiv', planned: 'geplant' };

/** Catalog text as Markdown text: characters that would start markup are escaped. */
function esc(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|]/g, '\\$&');
}
const code = (text: string): string => `\`${text}\``;
const link = (ind: Indicator): string => `[${ind.id} – ${esc(ind.title_de)}](${ind.id}.md)`;
/** Table codes (21111-02-06-4) are shown as code; municipal sources are named in words. */
const source = (s: string): string => (/^[\w.-]*\d[\w.-]*$/.test(s) ? code(s) : esc(s));

function visibilityText(ind: Indicator): string {
  return ind.visibility === 'public'
    ? 'Öffentlich – im Portal, in der API und in den Berichten'
    : 'Intern – nicht im öffentlichen Portal und nicht in der öffentlichen API';
}

function protectText(ind: Indicator, catalog: Catalog): string {
  if (!ind.protect) {
    return 'Nein – der Indikator zählt keine Personen (z. B. Einrichtungen oder Geldbeträge) oder übernimmt bereits veröffentlichte Werte; kleine Fallzahlen werden nicht gesperrt.';
  }
  const rule = catalog.disclosure.public;
  if (rule.minCount <= 1) {
    return 'Ja – der Indikator unterliegt der Geheimhaltung; die öffentliche Fassung sperrt derzeit keine kleinen Fallzahlen (siehe [Katalog](../catalog.md)).';
  }
  const range = rule.minCount === 2 ? '1' : `1 bis ${rule.minCount - 1}`;
  const secondary = rule.secondary
    ? ', dazu sekundär jede Zelle, aus der sich ein gesperrter Wert zurückrechnen ließe'
    : '';
  return `Ja – in der öffentlichen Fassung werden Zähler oder Nenner von ${range} gesperrt${secondary} (siehe [Katalog](../catalog.md)).`;
}

function howSection(ind: Indicator, byId: Map<string, Indicator>, catalog: Catalog): string[] {
  if (ind.kind === 'gap') {
    const base = byId.get(ind.of);
    return [
      '## Berechnung',
      `Differenz innerhalb des Basisindikators ${base ? link(base) : code(ind.of)}: Ausprägung ${code(ind.minuend)} minus Ausprägung ${code(ind.subtrahend)} der Aufgliederung ${code(ind.dimension)}.`,
    ];
  }
  const variables = variablesOf(ind, catalog.indicators).map(code).join(', ');
  return [
    '## Formel',
    ['```text', formatFormula(ind.expr), '```'].join('\n'),
    `Gelesene Variablen: ${variables}. Die Formelsprache beschreibt [docs/catalog.md](../catalog.md).`,
  ];
}

function periodSection(ind: Indicator, byId: Map<string, Indicator>): string {
  if (ind.period_alignment_de) return esc(ind.period_alignment_de);
  if (ind.kind === 'gap') {
    const base = byId.get(ind.of);
    return `Wie beim Basisindikator ${base ? link(base) : code(ind.of)}.`;
  }
  return 'Alle Größen der Formel beziehen sich auf dasselbe Berichtsjahr.';
}

/** The page of one indicator, as Markdown before formatting. */
export function indicatorPage(ind: Indicator, catalog: Catalog): string {
  const byId = new Map(catalog.indicators.map((i) => [i.id, i]));
  const area = catalog.areas.find((a) => a.id === ind.area);
  const fields = new Map(catalog.handlungsfelder.map((h) => [h.id, h]));
  const questions = questionsOf(ind.id, catalog).flatMap((id) => {
    const q = catalog.questions.find((x) => x.id === id);
    if (!q) return [];
    const hf = fields.get(q.handlungsfeld);
    const field = hf ? ` (Handlungsfeld [${esc(hf.title_de)}](README.md#${hf.id}))` : '';
    return [`- [${q.id}](README.md#${q.id.toLowerCase()}) ${esc(q.title_de)}${field}`];
  });
  const gaps = catalog.indicators.filter((g) => g.kind === 'gap' && g.of === ind.id);
  const rows: [string, string][] = [
    ['Kennung', code(ind.id)],
    [
      'Themenbereich',
      `[${ind.area} – ${esc(area?.title_de ?? '')}](README.md#bereich-${ind.area.toLowerCase()})`,
    ],
    ['Status', STATUS[ind.status]],
    ['Einheit', esc(ind.unit)],
    ['Dezimalstellen', String(ind.decimals)],
    ['Polarität', POLARITY[ind.polarity]],
    ['Zeitbezug', PERIOD_KIND[ind.period_kind]],
    ['Sichtbarkeit', ind.visibility === 'public' ? 'öffentlich' : 'intern'],
    ['Geheimhaltung', ind.protect ? 'ja' : 'nein'],
  ];
  const parts = [
    GENERATED,
    `# ${ind.id} – ${esc(ind.title_de)}`,
    `_${esc(ind.title_en)}_`,
    ['| Merkmal | Wert |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'),
  ];
  if (ind.status === 'planned') {
    parts.push(`> Noch keine Daten – gespeist aus: ${esc(ind.feed_de ?? '')}`);
  }
  parts.push(
    '## Kurzbeschreibung',
    esc(ind.short_de),
    '## Definition',
    esc(ind.definition_de),
    ...howSection(ind, byId, catalog),
    '## Zeitbezug',
    `${PERIOD_KIND[ind.period_kind]}. ${periodSection(ind, byId)}`,
    '## Aufgliederungen',
    ind.breakdowns.length > 0
      ? `Neben dem Insgesamt berechnet nach: ${ind.breakdowns.map(code).join(', ')}.`
      : 'Keine – nur das Insgesamt.',
  );
  if (gaps.length > 0)
    parts.push('## Differenzindikatoren', gaps.map((g) => `- ${link(g)}`).join('\n'));
  parts.push(
    '## Quellen',
    ind.sources.map((s) => `- ${source(s)}`).join('\n'),
    '## Hinweise',
    ind.caveats_de.trim() ? esc(ind.caveats_de) : 'Keine.',
    '## Sichtbarkeit',
    `${visibilityText(ind)}.`,
    '## Geheimhaltung',
    protectText(ind, catalog),
    '## Fragestellungen',
    questions.length > 0 ? questions.join('\n') : 'Noch keiner Fragestellung zugeordnet.',
  );
  return parts.join('\n\n') + '\n';
}

/** The index: areas with their indicators, Handlungsfelder with their Fragestellungen. */
export function indexPage(catalog: Catalog): string {
  const byId = new Map(catalog.indicators.map((i) => [i.id, i]));
  const phases = new Map(catalog.lifePhases.map((p) => [p.id, p.title_de]));
  const planned = catalog.indicators.filter((i) => i.status === 'planned').length;
  const parts = [
    GENERATED,
    '# Indikatorenkatalog',
    `Katalogversion ${catalog.version} · ${catalog.indicators.length} Indikatoren, davon ${catalog.indicators.length - planned} aktiv und ${planned} geplant (noch keine Daten).`,
    'Diese Seiten sind aus [`catalog/`](../../catalog) erzeugt (generated from catalog/ — do not edit). Änderungen gehören in die YAML-Dateien; danach `npm run docs:catalog` ausführen. Formelsprache und Berechnung beschreibt [docs/catalog.md](../catalog.md).',
    '## Themenbereiche',
  ];
  for (const area of catalog.areas) {
    const rows = catalog.indicators
      .filter((i) => i.area === area.id)
      .map(
        (i) =>
          `| [${i.id}](${i.id}.md) | ${esc(i.title_de)} | ${esc(i.unit)} | ${STATUS[i.status]} |`,
      );
    parts.push(
      `### <a id="bereich-${area.id.toLowerCase()}"></a>${area.id} – ${esc(area.title_de)}`,
      `${esc(area.description_de)} Lebensphase: ${esc(phases.get(area.phase) ?? area.phase)}.`.trim(),
      rows.length > 0
        ? ['| Kennung | Indikator | Einheit | Status |', '| --- | --- | --- | --- |', ...rows].join(
            '\n',
          )
        : 'Noch keine Indikatoren.',
    );
  }
  parts.push('## Handlungsfelder und Fragestellungen');
  for (const hf of catalog.handlungsfelder) {
    const areas = hf.areas.map((a) => `[${a}](#bereich-${a.toLowerCase()})`).join(', ');
    const items = catalog.questions
      .filter((q) => q.handlungsfeld === hf.id)
      .map((q) => {
        const inds = q.indicators.map((id) => (byId.has(id) ? `[${id}](${id}.md)` : code(id)));
        const lines = [
          `- <a id="${q.id.toLowerCase()}"></a>**${q.id}** ${esc(q.title_de)}`,
          `  - Indikatoren: ${inds.join(', ')}`,
        ];
        if (q.origin_de.trim()) lines.push(`  - Herkunft: ${esc(q.origin_de)}`);
        if (q.next_report) lines.push('  - Für den nächsten Bildungsbericht vorgemerkt.');
        return lines.join('\n');
      });
    parts.push(
      `### <a id="${hf.id}"></a>${esc(hf.title_de)}`,
      `Themenbereiche: ${areas}.`,
      items.length > 0 ? items.join('\n') : 'Noch keine Fragestellungen.',
    );
  }
  return parts.join('\n\n') + '\n';
}

/**
 * All pages, file name → formatted Markdown. Refuses an undocumented catalog (no definition or
 * no source), since such a page would mislead more than a missing one.
 */
export async function renderCatalogDocs(
  catalog: Catalog = loadCatalogFull(),
): Promise<Map<string, string>> {
  const problems = documentationProblems(catalog.indicators);
  if (problems.length > 0) {
    throw new BimoError(
      'BIMO_E_CATALOG',
      `the catalog is not fully documented:\n  ${problems.join('\n  ')}`,
      'Complete definition_de and sources in catalog/indicators/*.yaml.',
    );
  }
  const raw = new Map<string, string>([['README.md', indexPage(catalog)]]);
  for (const ind of catalog.indicators) raw.set(`${ind.id}.md`, indicatorPage(ind, catalog));
  // The repo's prettier config is resolved against docs/indikatoren whatever the output dir,
  // so pages written to a temp dir by the test are byte-identical to the committed ones.
  const config = (await resolveConfig(join(DOCS_DIR, 'README.md'))) ?? {};
  const out = new Map<string, string>();
  for (const [name, text] of raw) {
    out.set(name, await format(text, { ...config, filepath: join(DOCS_DIR, name) }));
  }
  return out;
}

/** Writes the pages to outDir and removes pages of indicators no longer in the catalog. */
export async function writeCatalogDocs(
  outDir: string = DOCS_DIR,
  catalog: Catalog = loadCatalogFull(),
): Promise<string[]> {
  const pages = await renderCatalogDocs(catalog);
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.md') && !pages.has(name)) await rm(join(outDir, name));
  }
  for (const [name, text] of pages) await writeFile(join(outDir, name), text);
  return [...pages.keys()];
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? DOCS_DIR);
  writeCatalogDocs(outDir).then(
    (names) => process.stdout.write(`docs:catalog: ${names.length} pages in ${outDir}\n`),
    (err: unknown) => {
      const fix = err instanceof BimoError ? `\n  fix: ${err.fix}` : '';
      process.stderr.write(
        `docs:catalog: ${err instanceof Error ? err.message : String(err)}${fix}\n`,
      );
      process.exitCode = 1;
    },
  );
}
