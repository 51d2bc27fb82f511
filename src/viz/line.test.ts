import { describe, expect, it } from 'vitest';
import { LINE_STYLES, niceTicks, renderLineChart, type LineChartInput } from './line.ts';

/** Anteil ohne Hauptschulabschluss, Kreis Düren and NRW; 2022 of Düren secret, 2024 of NRW locked. */
const input: LineChartInput = {
  series: [
    {
      label: 'Düren, Kreis',
      points: [
        // Out of order on purpose, and one period that is not on the axis.
        { period: '2023', value: 5.86, flag: null },
        { period: '2021', value: 6.12, flag: null },
        { period: '2022', value: null, flag: '.' },
        { period: '2024', value: 7.9, flag: 'p' },
        { period: '2019', value: 99, flag: null },
      ],
    },
    {
      label: 'Nordrhein-Westfalen',
      points: [
        { period: '2021', value: 6.01, flag: null },
        { period: '2022', value: 6.2, flag: null },
        { period: '2023', value: 6.44, flag: null },
        { period: '2024', value: null, flag: 'x' },
      ],
    },
  ],
  periods: ['2021', '2022', '2023', '2024'],
  periodLabel: (p) => `${Number(p) - 1}/${p.slice(2)}`,
  title: 'Anteil ohne Hauptschulabschluss: Zeitreihe',
  unit: '%',
  decimals: 2,
  idPrefix: 'series',
};

/** Text content of every <text> element (tspans joined). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/gs)].map((m) =>
    (m[1] ?? '').replace(/<[^>]+>/g, ''),
  );
}

/** The <title> of every marker of one series, in drawing order. */
function markerTitles(svg: string, series: string): string[] {
  const group = new RegExp(`<g data-series="${series}">(.*?)</g>`, 's').exec(svg)?.[1] ?? '';
  return [...group.matchAll(/<title>(.*?)<\/title>/g)].map((m) => m[1] ?? '');
}

describe('niceTicks', () => {
  it('takes round steps from zero past the maximum', () => {
    expect(niceTicks(0, 7.9)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 24550)).toEqual([0, 5000, 10000, 15000, 20000, 25000]);
    expect(niceTicks(-3.2, 4)).toEqual([-4, -2, 0, 2, 4]);
  });

  it('never steps finer than the decimals allow', () => {
    expect(niceTicks(0, 2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 2, 0)).toEqual([0, 1, 2]);
    expect(niceTicks(0, 1.2)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(niceTicks(0, 1.2, 1)).toEqual([0, 0.5, 1, 1.5]);
    // An empty range still gets an axis.
    expect(niceTicks(0, 0, 0)).toEqual([0, 1]);
  });

  it('refuses a range that is not finite instead of looping', () => {
    expect(() => niceTicks(0, Number.NaN)).toThrow(RangeError);
    expect(() => niceTicks(0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('renderLineChart', () => {
  const svg = renderLineChart(input);

  it('is an accessible image named by its title and described by every value', () => {
    expect(svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="series-title" aria-describedby="series-desc"/,
    );
    expect(svg).toContain(
      '<title id="series-title">Anteil ohne Hauptschulabschluss: Zeitreihe</title>',
    );
    // In the axis order, with the axis labels, German numbers, units and the signs.
    expect(svg).toContain(
      '<desc id="series-desc">Düren, Kreis: 2020/21 6,12 %, 2021/22 ., 2022/23 5,86 %, ' +
        '2023/24 7,90 % p. Nordrhein-Westfalen: 2020/21 6,01 %, 2021/22 6,20 %, ' +
        '2022/23 6,44 %, 2023/24 x</desc>',
    );
    // A static image: one stop for a screen reader, none in the tab order, no scripts or styles.
    expect(svg).not.toMatch(/tabindex|<a |<script|<style|style=/);
  });

  it('hides the drawn text from screen readers, which read the description instead', () => {
    expect(svg).toMatch(/<text [^>]*aria-hidden="true"><tspan x="12">Anteil ohne/);
    const hidden = [...svg.matchAll(/<g aria-hidden="true">(.*?)<\/g>/gs)].map((m) => m[1]);
    expect(hidden).toHaveLength(2);
    expect(hidden[0]).toContain('>2022/23</text>');
    expect(hidden[1]).toContain('>Nordrhein-Westfalen</text>');
  });

  it('labels the axes in German format with the period labels', () => {
    const all = texts(svg);
    expect(all).toEqual(expect.arrayContaining(['0', '2', '4', '6', '8']));
    expect(all).toEqual(expect.arrayContaining(['2020/21', '2021/22', '2022/23', '2023/24']));
    expect(all).not.toContain('2018/19');
    expect(all.filter((t) => /\d\.\d/.test(t))).toEqual([]);
  });

  it('marks only present values, with their sign, in the order of the axis', () => {
    expect(markerTitles(svg, 'Düren, Kreis')).toEqual([
      'Düren, Kreis, 2020/21: 6,12 %',
      'Düren, Kreis, 2022/23: 5,86 %',
      'Düren, Kreis, 2023/24: 7,90 % p',
    ]);
    expect(markerTitles(svg, 'Nordrhein-Westfalen')).toEqual([
      'Nordrhein-Westfalen, 2020/21: 6,01 %',
      'Nordrhein-Westfalen, 2021/22: 6,20 %',
      'Nordrhein-Westfalen, 2022/23: 6,44 %',
    ]);
  });

  it('breaks the line at a missing value instead of drawing it as zero', () => {
    const paths = [...svg.matchAll(/<path d="([^"]+)" fill="none"/g)].map((m) => m[1]);
    // Düren: 2021 alone, then a new start at 2023; 2022 is neither joined nor dropped to 0.
    expect(paths[0]).toBe('M56 100.4M432 108.2L620 47');
    expect(paths[1]).toBe('M56 103.7L244 98L432 90.8');
    // The zero line is at y 284; no marker sits on it.
    expect(svg).not.toMatch(/c?y="284"[^>]*fill="#08306b"/);
  });

  it('tells the series apart by dash and marker, not by colour alone', () => {
    const [first, second] = LINE_STYLES;
    expect(svg).toContain(`stroke="${first.colour}" stroke-width="2"/>`);
    expect(svg).toContain(`stroke="${second.colour}" stroke-width="2" stroke-dasharray="6 3"`);
    expect(markerTitles(svg, 'Düren, Kreis').length).toBe(svg.match(/<circle /g)!.length - 1);
    expect(svg).toContain('<rect x="52.5" y="100.2" width="7" height="7" fill="#b2182b">');
  });

  it('draws a single point in the middle with a thousands separator', () => {
    const one = renderLineChart({
      series: [{ label: 'Düren, Kreis', points: [{ period: '2023', value: 24550, flag: null }] }],
      periods: ['2023'],
      title: 'Schülerinnen und Schüler',
      unit: 'Personen',
      decimals: 0,
    });
    expect(one).toMatch(
      /<circle cx="338" cy="[\d.]+" r="3.5" fill="#08306b"><title>Düren, Kreis, 2023: 24.550 Personen</,
    );
    expect(one).toMatch(/aria-describedby="(line-[0-9a-z]+)-desc"/);
    expect(one).toContain('-desc">Düren, Kreis: 2023 24.550 Personen</desc>');
    expect(texts(one)).toEqual(expect.arrayContaining(['0', '5.000', '25.000', '2023']));
  });

  it('gives every tick its own label, also with few decimals and a small range', () => {
    const small = renderLineChart({
      ...input,
      series: [{ label: 'A', points: [{ period: '2023', value: 1.6, flag: null }] }],
      decimals: 0,
    });
    const ticks = [...small.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '1', '2']);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('renders without series or values and still describes itself', () => {
    const empty = renderLineChart({ ...input, series: [], idPrefix: 'leer' });
    expect(empty).toContain('<desc id="leer-desc">–</desc>');
    expect(empty).not.toContain('data-series');
    const allMissing = renderLineChart({
      ...input,
      series: [{ label: 'Heinsberg, Kreis', points: [{ period: '2023', value: null, flag: 'x' }] }],
    });
    expect(allMissing).toContain('<desc id="series-desc">Heinsberg, Kreis: 2022/23 x</desc>');
    expect(allMissing).toContain('<g data-series="Heinsberg, Kreis"></g>');
  });

  it('escapes labels and takes a given description', () => {
    const out = renderLineChart({
      ...input,
      series: [{ label: 'A & <B>', points: [{ period: '2023', value: -0.5, flag: '()' }] }],
      desc: 'Text "in" Worten',
      decimals: 1,
    });
    expect(out).toContain('data-series="A &amp; &lt;B&gt;"');
    expect(out).toContain('<title>A &amp; &lt;B&gt;, 2022/23: (-0,5) %</title>');
    expect(out).toContain('<desc id="series-desc">Text &quot;in&quot; Worten</desc>');
    expect(texts(out)).toEqual(expect.arrayContaining(['-0,5', '0']));
  });

  it('is deterministic and checks its id prefix', () => {
    expect(renderLineChart(input)).toBe(svg);
    expect(() => renderLineChart({ ...input, idPrefix: '1 bad' })).toThrow(/idPrefix/);
  });
});
