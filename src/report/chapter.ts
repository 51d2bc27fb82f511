/**
 * A report chapter as one HTML document, built from the portal's indicator section renderer. For
 * files and PDFs the styles are inlined (the document needs nothing else); served over HTTP it
 * links the portal stylesheet instead, because the Content-Security-Policy allows no inline
 * styles. The chapter shows what `viewer` may see (default: the public, as in printed reports).
 */
import type { AppDeps } from '../api/app.ts';
import type { Viewer } from '../api/policy.ts';
import { renderIndicatorSection } from '../web/components/indicator-section.ts';
import { html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { CSS } from '../web/routes.ts';
import { loadIndicatorView, type IndicatorView } from '../web/view-data.ts';

export interface ChapterOptions {
  /**
   * Whose view: decides internal indicators and the disclosure control (blanks for the public).
   * Default: the public.
   */
  viewer?: Viewer | undefined;
  /**
   * The date of the data (the release's publication): printed instead of today's date, so the
   * same data give the same bytes (and ETag).
   */
  stand?: Date | undefined;
  /** `inline` (default): styles in the document; `link`: the portal's /static/bimo.css. */
  styles?: 'inline' | 'link';
}

export async function renderChapterHtml(
  deps: AppDeps,
  indicatorId: string,
  period?: string,
  opts: ChapterOptions = {},
): Promise<string> {
  return (await renderChapter(deps, indicatorId, period, opts)).html;
}

/**
 * The chapter and the view it shows: `view.period` is the period rendered (the latest when
 * `period` is absent or has no values), `view.periods` those with values.
 */
export async function renderChapter(
  deps: AppDeps,
  indicatorId: string,
  period?: string,
  opts: ChapterOptions = {},
): Promise<{ html: string; view: IndicatorView }> {
  const view = await loadIndicatorView(deps, indicatorId, period, opts.viewer);
  const section = renderIndicatorSection(view, { regionHref: () => null });
  const made = opts.stand
    ? `erstellt mit bimo, Datenstand ${opts.stand.toLocaleDateString('de-DE')}`
    : `erstellt mit bimo am ${new Date().toLocaleDateString('de-DE')}`;
  const body = html`<h1>Bildungsbericht Rheinisches Revier</h1>
    <p class="subtitle">Kapitel ${view.indicator.area}: ${view.indicator.title_de} · ${made}</p>
    ${section}`;
  const css = opts.styles === 'link' ? undefined : CSS;
  return { html: layout(`Kapitel ${view.indicator.id}`, body, { css }), view };
}
