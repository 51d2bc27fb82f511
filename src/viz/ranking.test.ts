import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_COLOUR, renderRankingChart, sortRows, type RankingInput } from './ranking.ts';

const revier = ['05116', '05162', '05334', '05358', '05362', '05366', '05370'];

/** 53 rows like the NRW Kreise: Revier values from domain.md, the others made up. */
function rows(): RankingInput['rows'] {
  const known: Record<string, [string, number]> = {
    '05116': ['Mönchengladbach', 9.17],
    '05162': ['Rhein-Kreis Neuss', 4.1],
    '05334': ['Städteregion Aachen', 6.08],
    '05358': ['Düren, Kreis', 5.86],
    '05362': ['Rhein-Erft-Kreis', 4.57],
    '05366': ['Euskirchen, Kreis', 6.53],
    '05370': ['Heinsberg, Kreis', 6.76],
  };
  const out: RankingInput['rows'][number][] = Object.entries(known).map(
    ([code, [name, value]]) => ({
      code,
      name,
      value,
      flag: null,
      highlight: revier.includes(code),
    }),
  );
  for (let i = 0; i < 45; i++) {
    out.push({
      code: `05${900 + i}`,
      name: `Kreis Nr. ${i + 1}`,
      value: 3 + ((i * 37) % 70) / 10,
      flag: null,
    });
  }
  out.push({ code: '05120', name: 'Remscheid', value: null, flag: '.' });
  return out;
}

const input: RankingInput = {
  rows: rows(),
  references: [
    { label: 'NRW 6,44', value: 6.44 },
    { label: 'Rheinisches Revier 5,85', value: 5.85 },
  ],
  title: 'Anteil ohne Hauptschulabschluss: Rangfolge der Kreise und kreisfreien Städte in NRW',
  unit: '%',
  decimals: 2,
  highlightLabel: 'Rheinisches Revier',
};

/** Text content and vertical position of every <text> element. */
function texts(svg: string): { text: string; y: number }[] {
  return [...svg.matchAll(/<text([^>]*)>(.*?)<\/text>/gs)].map((m) => ({
    text: (m[2] ?? '').replace(/<[^>]+>/g, '').trim(),
    y: Number(/translate\([\d.-]+ ([\d.-]+)\)/.exec(m[1] ?? '')?.[1] ?? Number.NaN),
  }));
}

describe('renderRankingChart', () => {
  const svg = renderRankingChart(input);
  const labels = texts(svg);

  it('names every region', () => {
    for (const row of input.rows) expect(labels.map((l) => l.text)).toContain(row.name);
  });

  it('lists regions by value, highest on top, the missing value last', () => {
    const expected = sortRows(input.rows).map((r) => r.name);
    const ys = expected.map((name) => labels.find((l) => l.text === name)?.y ?? Number.NaN);
    expect(ys.every((y, i) => i === 0 || y > (ys[i - 1] ?? 0))).toBe(true);
    const top = Math.max(...input.rows.map((r) => r.value ?? Number.NEGATIVE_INFINITY));
    expect(input.rows.find((r) => r.name === expected[0])?.value).toBe(top);
    expect(expected[expected.length - 1]).toBe('Remscheid');
  });

  it('labels values in German format and shows the sign for a missing value', () => {
    const all = labels.map((l) => l.text);
    expect(all).toContain('5,86');
    expect(all).toContain('9,17');
    expect(all).toContain('keine Angabe (.)');
    expect(all.filter((t) => /^-?\d+\.\d+$/.test(t))).toEqual([]);
  });

  it('draws the reference lines with their labels', () => {
    const all = labels.map((l) => l.text);
    expect(all).toContain('NRW 6,44');
    expect(all).toContain('Rheinisches Revier 5,85');
    expect(svg).toContain('stroke="#b2182b"');
  });

  it('colours the highlighted rows and explains the colour', () => {
    const bars =
      svg.match(new RegExp(`<path [^>]*fill="${HIGHLIGHT_COLOUR}" ecmeta_series_index="0"`, 'g')) ??
      [];
    expect(bars).toHaveLength(7);
    expect(labels.map((l) => l.text)).toContain('Rheinisches Revier');
  });

  it('grows with the number of rows', () => {
    const height = Number(/^<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThanOrEqual(53 * 16);
    const small = renderRankingChart({ ...input, rows: input.rows.slice(0, 5) });
    expect(Number(/^<svg[^>]* height="(\d+)"/.exec(small)?.[1])).toBeLessThan(height - 47 * 15);
  });

  it('is an accessible image without scripts or inline styles', () => {
    const id = /aria-labelledby="(rank-[0-9a-z]+)-title"/.exec(svg)?.[1] ?? 'none';
    expect(svg).toMatch(
      new RegExp(`^<svg role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc"`),
    );
    expect(svg).toContain(`<title id="${id}-title">${input.title}</title>`);
    expect(svg).toContain(
      `<desc id="${id}-desc">Balkendiagramm, absteigend sortiert, 53 Regionen.`,
    );
    expect(svg).toContain('53. Remscheid: keine Angabe (.)');
    expect(svg).not.toMatch(/<script|<style|style=|class="zr/);
  });

  it('is deterministic across renders and uses the id prefix', () => {
    expect(renderRankingChart(input)).toBe(svg);
    const other = renderRankingChart({ ...input, idPrefix: 'chart-b' });
    expect(other).toContain('aria-labelledby="chart-b-title"');
    expect(other).not.toMatch(/zr\d+-/);
  });

  it('handles negative values, value flags and no references', () => {
    const out = renderRankingChart({
      rows: [
        { code: 'a', name: 'Alpha', value: -1.25, flag: null },
        { code: 'b', name: 'Beta', value: 2.5, flag: 'p' },
        { code: 'c', name: 'Gamma', value: null, flag: 'x' },
      ],
      references: [],
      title: 'Veränderung',
      unit: '',
      decimals: 2,
    });
    const all = texts(out).map((l) => l.text);
    expect(all).toEqual(expect.arrayContaining(['-1,25', '2,50 p', 'keine Angabe (x)', 'Wert']));
  });
});
