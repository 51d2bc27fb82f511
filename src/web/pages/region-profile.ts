/**
 * The region profile page body: level, parent chain, groups, a sentence on the position against
 * the peer group, then every indicator with data for the region by area, with references,
 * differences judged against rounding, rank and a sparkline of the time series.
 */
import type { Indicator } from '../../indicators/index.ts';
import { renderSparkline } from '../../viz/index.ts';
import { html, raw, type Raw } from '../html.ts';
import { href, type Lang } from '../i18n.ts';
import type { Profile, ProfileRow, RefCell, RefKey } from './region-profile-data.ts';
import { judge, peerSentence } from './region-peer.ts';
import { Signs } from './signs.ts';
import {
  areaList,
  areaTitle,
  fmtDiff,
  fmtValue,
  LEVELS,
  LEVELS_PLURAL,
  titleOf,
} from './region-words.ts';

const W = {
  de: {
    back: '← alle Regionen',
    level: 'Ebene',
    key: 'Schlüssel',
    parents: 'Übergeordnet',
    chain: 'Gebietshierarchie',
    groups: 'Gruppen',
    peer: 'Vergleichsgruppe',
    none: 'keine',
    indicators: 'Indikatoren',
    count: (n: number) => `${n} Indikatoren mit Daten für diese Region.`,
    legend:
      'Abstand = Wert der Region minus Referenz. „günstiger“/„ungünstiger“ (bei neutralen Indikatoren „höher“/„niedriger“) steht nur, wenn der Abstand größer ist, als die Rundung der Ausgangszahlen erklären kann; sonst „im Rundungsrahmen“.',
    caption: (area: string, name: string) => `${area}: ${name} im Vergleich`,
    indicator: 'Indikator',
    period: 'Stand',
    value: 'Wert',
    rank: (lvl: string) => `Rang unter den ${lvl}`,
    rankOf: (p: number, n: number) => `${p} von ${n}`,
    trend: 'Verlauf',
    trendOf: (id: string, name: string) => `Verlauf ${id}, ${name}`,
    refs: {
      land: 'NRW',
      revier: 'Rheinisches Revier',
      kreis: 'Kreis',
      peer: 'Vergleichsgruppe',
      bund: 'Deutschland',
    } as Record<RefKey, string>,
    better: 'günstiger',
    worse: 'ungünstiger',
    higher: 'höher',
    lower: 'niedriger',
    rounding: 'im Rundungsrahmen',
    noData: 'Für diese Region liegen keine Indikatorwerte vor.',
    noValue:
      'keine Angabe: Für diese Referenz gibt es keinen Wert. Werte für Vergleichsgruppen, Regionsgruppen und Deutschland sind Summen über alle Mitglieder. Sie entstehen nur, wenn für jedes Mitglied Zahlen vorliegen – Tabellen nur für NRW reichen für die bundesweiten Vergleichsgruppen nicht – und wenn sich die Zahlen summieren lassen: veröffentlichte Quoten und Durchschnitte werden nicht gemittelt.',
    compare: 'Diese Region im Vergleich mit den Kreisen des Reviers ansehen',
    parts: {
      kreis: 'Gemeinden',
      land: 'Regierungsbezirke',
      rb: 'Kreise',
      group: 'Mitglieder',
    } as Record<string, string>,
  },
  en: {
    back: '← all regions',
    level: 'Level',
    key: 'Key',
    parents: 'Part of',
    chain: 'Territorial hierarchy',
    groups: 'Groups',
    peer: 'Peer group',
    none: 'none',
    indicators: 'Indicators',
    count: (n: number) => `${n} indicators with data for this region.`,
    legend:
      'Difference = value of the region minus the reference. “better”/“worse” (“higher”/“lower” for neutral indicators) is only stated when the difference exceeds what rounding of the source figures can explain; otherwise “within rounding”.',
    caption: (area: string, name: string) => `${area}: ${name} compared`,
    indicator: 'Indicator',
    period: 'Period',
    value: 'Value',
    rank: (lvl: string) => `Rank among ${lvl}`,
    rankOf: (p: number, n: number) => `${p} of ${n}`,
    trend: 'Trend',
    trendOf: (id: string, name: string) => `Trend ${id}, ${name}`,
    refs: {
      land: 'NRW',
      revier: 'Rhenish mining area',
      kreis: 'District',
      peer: 'Peer group',
      bund: 'Germany',
    } as Record<RefKey, string>,
    better: 'better',
    worse: 'worse',
    higher: 'higher',
    lower: 'lower',
    rounding: 'within rounding',
    noData: 'There are no indicator values for this region.',
    noValue:
      'not available: there is no value for this reference. Values of peer groups, groups of regions and Germany are sums over all members. They exist only when every member has figures – tables for NRW alone are not enough for the nationwide peer groups – and when the figures can be added up: published rates and averages are never averaged.',
    compare: 'Compare this region with the districts of the mining area',
    parts: {
      kreis: 'Municipalities',
      land: 'Government districts',
      rb: 'Districts',
      group: 'Members',
    } as Record<string, string>,
  },
} as const;

function refTd(signs: Signs, ind: Indicator, ref: RefCell | undefined): Raw {
  if (!ref) return html`<td class="num">${signs.none()}</td>`;
  const lang = signs.lang;
  const j = judge(ind, ref);
  const t = W[lang];
  return html`<td class="num">
    ${signs.value(ref.value, ref.flag, ind.decimals)}
    ${
      ref.difference !== null && j
        ? html`<span class="diff diff-${j}"
            >${fmtDiff(lang, ref.difference, ind.decimals)} (${t[j]})</span
          >`
        : ''
    }
  </td>`;
}

function row(signs: Signs, p: Profile, r: ProfileRow): Raw {
  const lang = signs.lang;
  const ind = r.indicator;
  const t = W[lang];
  const spark = renderSparkline({
    title: t.trendOf(ind.id, p.name),
    points: r.series.map((s) => ({
      label: s.period,
      value: s.value,
      text: fmtValue(lang, s.value, s.flag, ind.decimals, ind.unit),
    })),
  });
  return html`<tr>
    <th scope="row">
      <a href="${href(lang, `/indikatoren/${ind.id}`)}">${ind.id} · ${titleOf(ind, lang)}</a>
    </th>
    <td>${r.period}</td>
    <td class="num"><strong>${signs.value(r.value, r.flag, ind.decimals, ind.unit)}</strong></td>
    ${p.refKeys.map((k) => refTd(signs, ind, r.refs[k]))}
    ${p.level === 'group' ? '' : html`<td class="num rank">${r.rank ? t.rankOf(r.rank.position, r.rank.of) : '–'}</td>`}
    <td class="spark">${raw(spark)}</td>
  </tr>`;
}

const link = (lang: Lang, code: string, name: string): Raw =>
  html`<a href="${href(lang, `/regionen/${encodeURIComponent(code)}`)}">${name}</a>`;

export function renderProfile(lang: Lang, p: Profile, compareHref: string): Raw {
  const t = W[lang];
  const signs = new Signs(lang);
  const chain = [...p.ancestors].reverse();
  const rankHead =
    p.level === 'group' ? '' : html`<th scope="col">${t.rank(LEVELS_PLURAL[lang][p.level])}</th>`;
  const tables = areaList()
    .map((a) => ({ a, rows: p.rows.filter((r) => r.indicator.area === a.id) }))
    .filter((x) => x.rows.length > 0)
    .map(
      ({ a, rows }) =>
        html`<h3 id="area-${a.id}">${areaTitle(a.id, lang)}</h3>
          <div class="table-scroll">
            <table class="data profile">
              <caption>
                ${t.caption(areaTitle(a.id, lang), p.name)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.indicator}</th>
                  <th scope="col">${t.period}</th>
                  <th scope="col">${t.value}</th>
                  ${p.refKeys.map((k) => html`<th scope="col">${k === 'kreis' ? (p.ancestors.find((x) => x.level === 'kreis')?.name ?? t.refs.kreis) : t.refs[k]}</th>`)}
                  ${rankHead}
                  <th scope="col">${t.trend}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => row(signs, p, r))}
              </tbody>
            </table>
          </div>`,
    );
  const partsTitle = t.parts[p.level];
  return html`<p><a href="${href(lang, '/regionen')}">${t.back}</a></p>
    <section class="region-profile" aria-labelledby="title">
      <h1 id="title">${p.name}</h1>
      <dl class="meta region-facts">
        <dt>${t.level}</dt>
        <dd>${LEVELS[lang][p.level]}</dd>
        <dt>${t.key}</dt>
        <dd><code>${p.code}</code></dd>
        ${
          chain.length > 0
            ? html`<dt>${t.parents}</dt>
                <dd>
                  <nav aria-label="${t.chain}">
                    <ol class="chain">
                      ${chain.map((a) => html`<li>${link(lang, a.code, a.name)}</li>`)}
                    </ol>
                  </nav>
                </dd>`
            : ''
        }
        ${
          p.level === 'group'
            ? ''
            : html`<dt>${t.groups}</dt>
                <dd>
                  ${p.groups.length > 0 ? p.groups.map((g, i) => html`${i > 0 ? ', ' : ''}${link(lang, g.id, g.name)}`) : t.none}
                </dd>
                <dt>${t.peer}</dt>
                <dd>${p.peer ? link(lang, p.peer.id, p.peer.name) : t.none}</dd>`
        }
      </dl>
      <p class="lead" data-testid="peer-sentence">${peerSentence(lang, p)}</p>
      <p><a href="${compareHref}">${t.compare}</a></p>
      <h2>${t.indicators}</h2>
      ${
        p.rows.length === 0
          ? html`<p>${t.noData}</p>`
          : html`<p>${t.count(p.rows.length)}</p>
              <p class="legend">${t.legend}</p>
              ${tables} ${signs.legend(t.noValue)}`
      }
      ${
        partsTitle && p.parts.length > 0
          ? html`<h2>${partsTitle}</h2>
              <ul class="region-parts">
                ${p.parts.map((r) => html`<li>${link(lang, r.code, r.name)}</li>`)}
              </ul>`
          : ''
      }
    </section>`;
}
