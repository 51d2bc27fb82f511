/**
 * A report chapter as a self-contained HTML document (styles inlined so the file and its PDF
 * need nothing else), built from the portal's indicator section renderer.
 */
import type { AppDeps } from '../api/app.ts';
import { renderIndicatorSection } from '../web/components/indicator-section.ts';
import { html } from '../web/html.ts';
import { layout } from '../web/layout.ts';
import { CSS } from '../web/routes.ts';
import { loadIndicatorView } from '../web/view-data.ts';

export async function renderChapterHtml(
  deps: AppDeps,
  indicatorId: string,
  period?: string,
): Promise<string> {
  const view = await loadIndicatorView(deps, indicatorId, period);
  const section = renderIndicatorSection(view, { regionHref: () => null });
  const body = html`<h1>Bildungsbericht Rheinisches Revier</h1>
    <p class="subtitle">
      Kapitel ${view.indicator.area}: ${view.indicator.title_de} · erstellt mit bimo am
      ${new Date().toLocaleDateString('de-DE')}
    </p>
    ${section}`;
  return layout(`Kapitel ${view.indicator.id}`, body, { css: CSS });
}
