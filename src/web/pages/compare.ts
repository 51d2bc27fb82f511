/**
 * The comparison page: chosen regions (columns) by chosen indicators (rows), each indicator at
 * the latest period all chosen regions have a value for, official signs shown and explained.
 * A plain GET form chooses regions and indicators, so the address restores the view
 * (`/vergleich?regionen=05358,05362,05&indikatoren=D6,B1`; repeated parameters work too).
 */
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { audienceOf, visibleIndicators } from '../../api/policy.ts';
import { queryValues, type ValueRow } from '../../api/values.ts';
import { viewerOf } from '../../api/viewer.ts';
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, type Lang } from '../i18n.ts';
import { FLAG_LABELS_EN } from '../text.ts';
import { layout } from '../layout.ts';
import { pageFrame } from './portal-common.ts';
import { areaList, areaTitle, fmtValue, NRW, REVIER, titleOf } from './region-words.ts';

const DEFAULT_INDICATORS = ['D6', 'D7', 'C1', 'C2', 'A6', 'A7', 'E3'];
const MAX = 20;

const W = {
  de: {
    title: 'Vergleich',
    intro:
      'Ausgewählte Regionen nebeneinander: je Indikator der letzte Stand, für den alle gewählten Regionen einen Wert haben.',
    form: 'Auswahl',
    regions: 'Regionen (Mehrfachauswahl mit Strg/Umschalt)',
    indicators: 'Indikatoren (Mehrfachauswahl mit Strg/Umschalt)',
    show: 'Vergleich anzeigen',
    revier: 'Rheinisches Revier',
    refs: 'Land, Bund und Gruppen',
    kreise: 'Weitere Kreise in NRW',
    gemeinden: 'Gemeinden im Revier',
    caption: (r: number, i: number) =>
      `Vergleich von ${r} Regionen in ${i} Indikatoren (je Indikator der letzte gemeinsame Stand)`,
    indicator: 'Indikator',
    period: 'Stand',
    ignored: (n: number) => `${n} unbekannte oder nicht verfügbare Angaben wurden übergangen.`,
    none: 'Bitte mindestens eine Region und einen Indikator wählen.',
    signs: 'Zeichenerklärung',
  },
  en: {
    title: 'Compare',
    intro:
      'Chosen regions side by side: for each indicator the latest period for which all chosen regions have a value.',
    form: 'Selection',
    regions: 'Regions (choose several with Ctrl/Shift)',
    indicators: 'Indicators (choose several with Ctrl/Shift)',
    show: 'Show comparison',
    revier: 'Rhenish mining area',
    refs: 'Land, Federation and groups',
    kreise: 'Other districts in NRW',
    gemeinden: 'Municipalities in the mining area',
    caption: (r: number, i: number) =>
      `Comparison of ${r} regions in ${i} indicators (for each indicator the latest common period)`,
    indicator: 'Indicator',
    period: 'Period',
    ignored: (n: number) => `${n} unknown or unavailable entries were skipped.`,
    none: 'Please choose at least one region and one indicator.',
    signs: 'Signs',
  },
} as const;

/** `a,b` and repeated parameters alike, deduplicated, in the given order. */
function listParam(c: Context, name: string): string[] | undefined {
  const raw = c.req.queries(name);
  if (!raw) return undefined;
  return [
    ...new Set(
      raw
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** The latest period at which every region has a value (else a row), else the latest one. */
function commonPeriod(rows: ValueRow[], codes: string[]): string | undefined {
  const periods = [...new Set(rows.map((r) => r.period))].sort().reverse();
  const all = (p: string, pred: (r: ValueRow) => boolean) =>
    codes.every((c) => rows.some((r) => r.region === c && r.period === p && pred(r)));
  return (
    periods.find((p) => all(p, (r) => r.value !== null)) ??
    periods.find((p) => all(p, () => true)) ??
    periods[0]
  );
}

interface Choice {
  code: string;
  name: string;
}

function options(items: Choice[], chosen: Set<string>): Raw[] {
  return items.map(
    (r) =>
      html`<option value="${r.code}" ${chosen.has(r.code) ? html`selected` : ''}>
        ${r.name}
      </option>`,
  );
}

function form(
  lang: Lang,
  deps: AppDeps,
  inds: Indicator[],
  regions: string[],
  chosenInds: string[],
): Raw {
  const t = W[lang];
  const reg = deps.regions;
  const revierKreise = reg.members(REVIER, 'kreis');
  const revierSet = new Set(revierKreise.map((k) => k.code));
  const chosenR = new Set(regions);
  const chosenI = new Set(chosenInds);
  const groups = [
    ...[NRW, 'DG'].flatMap((c) => reg.get(c) ?? []),
    ...reg.groups().map((g) => ({ code: g.id, name: g.name })),
  ];
  const kreise = reg
    .atLevel('kreis', NRW)
    .filter((k) => k.validTo === null && !revierSet.has(k.code));
  const gemeinden = reg.atLevel('gemeinde', REVIER).filter((g) => g.validTo === null);
  return html`<form class="compare-form" method="get" action="/vergleich">
    <fieldset>
      <legend>${t.form}</legend>
      <div class="field">
        <label for="regionen">${t.regions}</label>
        <select id="regionen" name="regionen" multiple size="12">
          <optgroup label="${t.revier}">
            ${options([{ code: REVIER, name: reg.group(REVIER)?.name ?? REVIER }, ...revierKreise], chosenR)}
          </optgroup>
          <optgroup label="${t.refs}">
            ${options(
              groups.filter((g) => g.code !== REVIER),
              chosenR,
            )}
          </optgroup>
          <optgroup label="${t.kreise}">${options(kreise, chosenR)}</optgroup>
          <optgroup label="${t.gemeinden}">${options(gemeinden, chosenR)}</optgroup>
        </select>
      </div>
      <div class="field">
        <label for="indikatoren">${t.indicators}</label>
        <select id="indikatoren" name="indikatoren" multiple size="12">
          ${areaList()
            .map((a) => ({ a, list: inds.filter((i) => i.area === a.id) }))
            .filter((x) => x.list.length > 0)
            .map(
              ({ a, list }) =>
                html`<optgroup label="${areaTitle(a.id, lang)}">
                  ${options(
                    list.map((i) => ({ code: i.id, name: `${i.id} · ${titleOf(i, lang)}` })),
                    chosenI,
                  )}
                </optgroup>`,
            )}
        </select>
      </div>
      ${lang === 'en' ? html`<input type="hidden" name="lang" value="en" />` : ''}
      <button type="submit">${t.show}</button>
    </fieldset>
  </form>`;
}

/**
 * The page and its own address without language (built from what was understood, so nothing
 * the public asked for but may not see is echoed back, e.g. in the language switch).
 */
async function comparePage(
  c: Context,
  deps: AppDeps,
  lang: Lang,
): Promise<{ body: Raw; self: string }> {
  const t = W[lang];
  const viewer = viewerOf(c);
  const audience = audienceOf(viewer);
  const reg = deps.regions;
  const inds = visibleIndicators(viewer, deps.catalog).filter((i) => i.status === 'active');
  const askedR = listParam(c, 'regionen') ?? [
    ...reg.members(REVIER, 'kreis').map((k) => k.code),
    REVIER,
    NRW,
  ];
  const askedI = listParam(c, 'indikatoren') ?? DEFAULT_INDICATORS;
  const regions = askedR.filter((code) => reg.has(code) || reg.isGroup(code)).slice(0, MAX);
  const chosen = askedI
    .map((id) => inds.find((i) => i.id === id))
    .filter((i): i is Indicator => i !== undefined)
    .slice(0, MAX);
  const ignored = askedR.length - regions.length + askedI.length - chosen.length;
  const names = regions.map((code) => reg.get(code)?.name ?? reg.group(code)?.name ?? code);
  const flags = new Set<Flag>();
  const rows: Raw[] = [];
  for (const ind of chosen) {
    const values =
      regions.length > 0
        ? await queryValues(deps.store, reg, { indicator: ind, regions, audience })
        : [];
    const period = commonPeriod(values, regions);
    const cells = regions.map((code) => {
      const v = values.find((r) => r.region === code && r.period === period);
      if (v?.flag) flags.add(v.flag);
      return html`<td class="num">
        ${v ? fmtValue(lang, v.value, v.flag, ind.decimals, ind.unit) : '–'}
      </td>`;
    });
    rows.push(
      html`<tr>
        <th scope="row">
          <a href="${href(lang, `/indikatoren/${ind.id}`)}">${ind.id} · ${titleOf(ind, lang)}</a>
        </th>
        <td>${period ?? '–'}</td>
        ${cells}
      </tr>`,
    );
  }
  const labels = lang === 'en' ? FLAG_LABELS_EN : FLAG_LABELS_DE;
  const table =
    regions.length === 0 || chosen.length === 0
      ? html`<p role="status">${t.none}</p>`
      : html`<div class="table-scroll">
          <table class="data compare">
            <caption>
              ${t.caption(regions.length, chosen.length)}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.indicator}</th>
                <th scope="col">${t.period}</th>
                ${regions.map((code, i) => html`<th scope="col"><a href="${href(lang, `/regionen/${code}`)}">${names[i]}</a></th>`)}
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>`;
  const self = `/vergleich?regionen=${regions.join(',')}&indikatoren=${chosen.map((i) => i.id).join(',')}`;
  const body = html`<h1>${t.title}</h1>
    <p class="lead">${t.intro}</p>
    ${form(
      lang,
      deps,
      inds,
      regions,
      chosen.map((i) => i.id),
    )}
    ${ignored > 0 ? html`<p class="notice" role="status">${t.ignored(ignored)}</p>` : ''} ${table}
    ${
      flags.size > 0
        ? html`<h2>${t.signs}</h2>
            <dl class="meta signs">
              ${[...flags].map(
                (f) =>
                  html`<dt><code>${f}</code></dt>
                    <dd>${labels[f]}</dd>`,
              )}
            </dl>`
        : ''
    }`;
  return { body, self };
}

export function mountCompare(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/vergleich', async (c) => {
    const lang = langOf(c);
    const page = await comparePage(c, deps, lang);
    return c.html(
      layout(
        W[lang].title,
        page.body,
        pageFrame(c, deps, 'compare', href(lang === 'en' ? 'de' : 'en', page.self)),
      ),
    );
  });
}
