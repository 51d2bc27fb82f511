/**
 * A report template rendered for one region: the loops and `::bereich` sections are expanded,
 * the Markdown is parsed (no raw HTML: templates are text), chapters (`#`) and sections (`##`)
 * are numbered and listed in the table of contents, directives become figures and tables, each
 * chapter ends with the footnotes of its signs, and a glossary of every indicator used closes
 * the report. The result is one self-contained HTML document (styles inline, no scripts), which
 * src/report/print.ts turns into the PDF.
 */
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import Token from 'markdown-it/lib/token.mjs';
import type { AppDeps } from '../../api/app.ts';
import { loadCatalogFull, type Catalog } from '../../indicators/index.ts';
import { html, raw, type Raw } from '../../web/html.ts';
import { CSS } from '../../web/routes.ts';
import { PRINT_CSS } from '../print-css.ts';
import { regionWords } from '../text/index.ts';
import { reportContext, valuesOf, type ReportContext } from './context.ts';
import { chapterFootnotes, renderDirective, type ReportState } from './directives.ts';
import { expand, parseDirective, readTemplate, templateError, type Directive } from './source.ts';

export interface RenderOptions {
  /** Pin to a published release (default: the latest). */
  releaseId?: number;
  /** The print stylesheet inlined after the portal's (default: src/report/print.css). */
  printCss?: string;
  /** The date printed as "erstellt am" (default: now). */
  made?: Date;
}

export interface RenderedReport {
  html: string;
  title: string;
  /** Table of contents: id, number and title of every chapter and section. */
  toc: { id: string; number: string; title: string; level: 1 | 2 }[];
  figures: number;
  tables: number;
  indicators: string[];
  releaseId: number | undefined;
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: true, quotes: '„“‚‘' });
md.block.ruler.before('paragraph', 'bimo_directive', (state, startLine, _endLine, silent) => {
  const start = (state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0);
  const line = state.src.slice(start, state.eMarks[startLine]);
  if (!line.startsWith('::') || line.startsWith(':::')) return false;
  if (silent) return true;
  const token = state.push('bimo_directive', '', 0);
  token.content = line;
  token.map = [startLine, startLine + 1];
  state.line = startLine + 1;
  return true;
});

/** Reads and renders a template file for `regionCode`. */
export async function renderReportFile(
  deps: AppDeps,
  file: string,
  regionCode: string,
  opts: RenderOptions = {},
): Promise<RenderedReport> {
  return renderReport(deps, readFileSync(file, 'utf8'), file, regionCode, opts);
}

export async function renderReport(
  deps: AppDeps,
  text: string,
  file: string,
  regionCode: string,
  opts: RenderOptions = {},
): Promise<RenderedReport> {
  const src = readTemplate(text, file);
  const ctx = await reportContext(deps, regionCode, opts.releaseId);
  const catalog = loadCatalogFull();
  const kreise = ctx.memberLevel === 'kreis' ? ctx.members : [];
  const gemeinden = ctx.memberLevel === 'gemeinde' ? ctx.members : [];
  const lines = expand(
    src,
    {
      region: { code: ctx.focus.code, name: ctx.focus.name, level: ctx.focus.level },
      stand: standText(ctx),
      release: String(ctx.releaseId ?? '–'),
    },
    { kreise, gemeinden },
  );
  const expanded = await expandSections(ctx, catalog, lines, file);
  const markdown = expanded.map((l) => l.text).join('\n');
  const st: ReportState = {
    ctx,
    catalog,
    file,
    figures: 0,
    tables: 0,
    used: new Set(),
    notes: new Map(),
    chapter: 0,
    topologies: new Map(),
  };
  const tokens = md.parse(markdown, {});
  const toc: RenderedReport['toc'] = [];
  const out: Token[] = [];
  let section = 0;
  let open = false;
  const block = (content: string): Token => {
    const t = new Token('html_block', '', 0);
    t.content = content;
    return t;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type === 'heading_open' && (t.tag === 'h1' || t.tag === 'h2')) {
      const inline = tokens[i + 1] as Token;
      // Markdown in a heading (**, quotes) rendered; the contents list takes its plain text.
      const inner = md.renderInline(inline.content);
      const title = decodeEntities(inner.replace(/<[^>]+>/g, ''));
      let number: string;
      if (t.tag === 'h1') {
        if (open) out.push(block(`${chapterFootnotes(st)}</section>\n`));
        st.chapter += 1;
        section = 0;
        number = String(st.chapter);
      } else {
        section += 1;
        number = `${st.chapter}.${section}`;
      }
      const id = `kapitel-${number.replace('.', '-')}`;
      if (t.tag === 'h1') {
        out.push(block(`<section class="chapter" aria-labelledby="${id}">\n`));
        open = true;
      }
      toc.push({ id, number, title, level: t.tag === 'h1' ? 1 : 2 });
      const level = t.tag === 'h1' ? 'h2' : 'h3';
      out.push(
        block(
          html`<${raw(level)} id="${id}"><span class="heading-number">${number}</span> ${raw(inner)}</${raw(level)}>\n`.toString(),
        ),
      );
      i += 2;
      continue;
    }
    if (t.type === 'heading_open') {
      // ### and deeper: one level down as well, unnumbered.
      t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + 1)}`;
      const close = tokens.slice(i).find((x) => x.type === 'heading_close');
      if (close) close.tag = t.tag;
    }
    if (t.type === 'bimo_directive') {
      const line = (t.map?.[0] ?? 0) + 1;
      const d = parseDirective(t.content, file, sourceLine(expanded, line)) as Directive;
      out.push(block(`${(await renderDirective(st, d)).toString()}\n`));
      continue;
    }
    out.push(t);
  }
  if (open) out.push(block(`${chapterFootnotes(st)}</section>\n`));
  const body = md.renderer.render(out, md.options, {});
  const title = src.meta.title;
  const doc = document(ctx, src.meta, title, toc, raw(body), glossary(catalog, [...st.used]), opts);
  return {
    html: doc,
    title,
    toc,
    figures: st.figures,
    tables: st.tables,
    indicators: [...st.used],
    releaseId: ctx.releaseId,
  };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The template's line of an expanded line (for messages). */
function sourceLine(lines: { line: number }[], expandedLine: number): number {
  return lines[expandedLine - 1]?.line ?? expandedLine;
}

/**
 * `::bereich bereich=D` becomes one section per public indicator of the area that has values for
 * the report's region: its generated text, a ranking (or the series when there is no ranking to
 * draw) and the table. So a template names the areas, and the report covers every indicator
 * with data, also those added to the catalog later.
 */
async function expandSections(
  ctx: ReportContext,
  catalog: Catalog,
  lines: { text: string; line: number }[],
  file: string,
): Promise<{ text: string; line: number }[]> {
  const out: { text: string; line: number }[] = [];
  for (const { text, line } of lines) {
    // Generated lines keep the line of their ::bereich, so messages point into the template.
    const push = (...texts: string[]) => out.push(...texts.map((t) => ({ text: t, line })));
    const d = parseDirective(text, file, line);
    if (d?.name !== 'bereich') {
      push(text);
      continue;
    }
    const area = d.args.bereich;
    if (!area || !catalog.areas.some((a) => a.id === area)) {
      throw templateError(
        file,
        line,
        1,
        `::bereich needs a known area, got "${area ?? ''}"`,
        `Use bereich= one of ${catalog.areas.map((a) => a.id).join(', ')}.`,
      );
    }
    const skip = new Set((d.args.ohne ?? '').split(',').map((s) => s.trim()));
    const before = out.length;
    for (const ind of catalog.indicators) {
      if (
        ind.area !== area ||
        ind.visibility !== 'public' ||
        ind.status !== 'active' ||
        skip.has(ind.id)
      )
        continue;
      if (ind.kind === 'gap') continue;
      const rows = await valuesOf(ctx, ind);
      if (!rows.some((r) => r.region === ctx.focus.code && r.value !== null)) continue;
      const periods = new Set(rows.filter((r) => r.value !== null).map((r) => r.period));
      push(`## ${ind.title_de}`, '', `::text indikator=${ind.id}`, '');
      if (ctx.members.length > 1) push(`::rangfolge indikator=${ind.id}`, '');
      if (periods.size > 1) push(`::zeitreihe indikator=${ind.id}`, '');
      push(`::tabelle indikator=${ind.id}`, '');
    }
    if (out.length === before) {
      const planned = catalog.indicators.filter(
        (i) => i.area === area && i.visibility === 'public' && i.kind !== 'gap',
      );
      push(
        `Für diesen Bereich liegen ${regionWords(ctx.focus.name, ctx.focus.level).for} noch keine Werte vor.` +
          (planned.length > 0
            ? ` Vorgesehen sind: ${planned.map((i) => `${i.id} ${i.title_de}`).join('; ')}.`
            : ''),
        '',
      );
    }
  }
  return out;
}

function standText(ctx: ReportContext): string {
  return ctx.stand
    ? new Date(ctx.stand).toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin' })
    : 'unveröffentlicht';
}

function glossary(catalog: Catalog, used: string[]): Raw {
  if (used.length === 0) return html``;
  const inds = used
    .map((id) => catalog.indicators.find((i) => i.id === id))
    .filter((i) => i !== undefined)
    .sort((a, b) => a.id.localeCompare(b.id, 'de', { numeric: true }));
  return html`<section class="chapter glossary-chapter" aria-labelledby="glossar">
    <h2 id="glossar">Glossar der Indikatoren</h2>
    <dl class="glossary">
      ${inds.map(
        (i) =>
          html`<dt>${i.id} ${i.title_de}</dt>
            <dd>
              ${i.definition_de}${i.caveats_de ? html` <em>Hinweis:</em> ${i.caveats_de}` : ''}
              (Einheit: ${i.unit}; Quellen: ${i.sources.join(', ')})
            </dd>`,
      )}
    </dl>
  </section>`;
}

function document(
  ctx: ReportContext,
  meta: { title: string; subtitle: string; publisher: string },
  title: string,
  toc: RenderedReport['toc'],
  body: Raw,
  gloss: Raw,
  opts: RenderOptions,
): string {
  const made = (opts.made ?? new Date()).toLocaleDateString('de-DE', {
    timeZone: 'Europe/Berlin',
  });
  const entries = [
    ...toc,
    ...(gloss.toString()
      ? [{ id: 'glossar', number: '', title: 'Glossar der Indikatoren', level: 1 as const }]
      : []),
  ];
  const nav = html`<nav class="toc" aria-labelledby="inhalt">
    <h2 id="inhalt">Inhalt</h2>
    <ol>
      ${entries.map(
        (e) =>
          html`<li class="toc-${e.level}">
            <a href="#${e.id}"
              ><span class="toc-number">${e.number}</span> <span class="toc-title">${e.title}</span>
              <span class="toc-page" data-target="${e.id}"></span
            ></a>
          </li>`,
      )}
    </ol>
  </nav>`;
  const cover = html`<header class="cover">
    <div>
      <p class="kicker">${meta.publisher || 'Bildungsmonitoring'}</p>
      <h1 class="title">${title}</h1>
      ${meta.subtitle ? html`<p class="subtitle">${meta.subtitle}</p>` : ''}
      <p class="region">${ctx.focus.name}</p>
    </div>
    <div>
      <p class="stand">
        Datenstand: Release ${ctx.releaseId ?? '–'}, veröffentlicht ${standText(ctx)}
      </p>
      <p class="release">Erstellt am ${made} mit bimo aus amtlichen Daten</p>
    </div>
  </header>`;
  const css = `${CSS}\n${opts.printCss ?? PRINT_CSS}`;
  return `<!doctype html>${html`<html lang="de">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} – ${ctx.focus.name}</title>
      <style>
        ${raw(css)}
      </style>
    </head>
    <body class="report">
      ${cover}
      <main>${nav} ${body} ${gloss}</main>
      <footer class="report-imprint">
        <p>
          Daten: © Statistische Ämter des Bundes und der Länder, Deutschland; © IT.NRW. Datenlizenz
          Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0). Geometrien: © GeoBasis-DE / BKG
          (Daten verändert), dl-de/by-2-0. Die Texte sind aus den Zahlen erzeugt; ein Unterschied
          wird nur genannt, wenn er größer ist als die Rundungsungenauigkeit.
        </p>
      </footer>
    </body>
  </html>`}`;
}
