import { describe, expect, it } from 'vitest';
import { renderGroupedBars, type GroupedBarsInput } from './grouped-bars.ts';
import { LINE_STYLES } from './line.ts';

/** Anteil ohne Hauptschulabschluss by sex, 2023; Heinsberg's women locked, NRW's men unknown. */
const input: GroupedBarsInput = {
  items: ['weiblich', 'männlich'],
  groups: [
    {
      label: 'Düren, Kreis',
      values: [
        { value: 4.61, flag: null },
        { value: 7.02, flag: null },
      ],
    },
    {
      label: 'Heinsberg, Kreis',
      values: [
        { value: null, flag: 'x' },
        { value: 8.1, flag: 'p' },
      ],
    },
    {
      label: 'Nordrhein-Westfalen',
      values: [
        { value: 5.1, flag: null },
        { value: null, flag: null },
      ],
    },
  ],
  title: 'Anteil ohne Hauptschulabschluss nach Geschlecht, 2023',
  unit: '%',
  decimals: 2,
  idPrefix: 'bd-geschlecht',
};

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/gs)].map((m) =>
    (m[1] ?? '').replace(/<[^>]+>/g, ''),
  );
}

/** Every bar as its fill, width and hover title. */
function bars(svg: string): { fill: string; width: number; title: string }[] {
  return [
    ...svg.matchAll(
      /<rect x="[\d.-]+" y="[\d.-]+" width="([\d.]+)" height="14" fill="(#\w+)"><title>(.*?)<\/title>/g,
    ),
  ].map((m) => ({ width: Number(m[1]), fill: m[2] ?? '', title: m[3] ?? '' }));
}

describe('renderGroupedBars', () => {
  const svg = renderGroupedBars(input);

  it('is an accessible image named by its title and described by every value', () => {
    expect(svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="bd-geschlecht-title" aria-describedby="bd-geschlecht-desc"/,
    );
    expect(svg).toContain(`<title id="bd-geschlecht-title">${input.title}</title>`);
    expect(svg).toContain(
      '<desc id="bd-geschlecht-desc">Düren, Kreis, weiblich: 4,61 %; Düren, Kreis, männlich: 7,02 %; ' +
        'Heinsberg, Kreis, weiblich: x; Heinsberg, Kreis, männlich: 8,10 % p; ' +
        'Nordrhein-Westfalen, weiblich: 5,10 %; Nordrhein-Westfalen, männlich: .</desc>',
    );
    // The drawn title and the legend are read through title and description, not twice.
    expect(svg).toMatch(/<text [^>]*aria-hidden="true"><tspan x="12">Anteil ohne/);
    expect(svg).toMatch(/<g aria-hidden="true"><rect [^>]*\/><text [^>]*>weiblich<\/text>/);
    // A static image: not in the tab order, no scripts or styles.
    expect(svg).not.toMatch(/tabindex|<a |<script|<style|style=/);
  });

  it('draws one bar per present value, coloured by item, longer for larger values', () => {
    const [w, m] = [LINE_STYLES[0].colour, LINE_STYLES[1].colour];
    const drawn = bars(svg);
    expect(drawn.map((b) => [b.fill, b.title])).toEqual([
      [w, 'Düren, Kreis, weiblich: 4,61 %'],
      [m, 'Düren, Kreis, männlich: 7,02 %'],
      [m, 'Heinsberg, Kreis, männlich: 8,10 % p'],
      [w, 'Nordrhein-Westfalen, weiblich: 5,10 %'],
    ]);
    const widths = drawn.map((b) => b.width);
    // Proportional: 4,61 ÷ 8,10 of the longest bar.
    expect((widths[0] ?? 0) / (widths[2] ?? 1)).toBeCloseTo(4.61 / 8.1, 2);
  });

  it('writes the values in German format and the sign where a value is missing', () => {
    const all = texts(svg);
    expect(all).toEqual(
      expect.arrayContaining(['4,61 %', '7,02 %', '8,10 % p', '5,10 %', 'x', '.']),
    );
    expect(all).toEqual(
      expect.arrayContaining(['Düren, Kreis', 'Heinsberg, Kreis', 'Nordrhein-Westfalen']),
    );
    expect(all).not.toContain('0,00 %');
    expect(all.filter((t) => /\d\.\d/.test(t))).toEqual([]);
  });

  it('runs the zero line along the bars only', () => {
    const line = /<line x1="([\d.]+)" x2="[\d.]+" y1="([\d.]+)" y2="([\d.]+)"/.exec(svg);
    const x = Number(line?.[1]);
    const [top, bottom] = [Number(line?.[2]), Number(line?.[3])];
    const legendY = Number(/<g aria-hidden="true"><rect x="[\d.]+" y="([\d.]+)"/.exec(svg)?.[1]);
    const barYs = [
      ...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="14"/g),
    ].map((m) => Number(m[1]));
    expect(x).toBe(
      Number(/<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="14"/.exec(svg)?.[1]),
    );
    expect(top).toBeGreaterThan(legendY + 12);
    expect(top).toBeLessThanOrEqual(Math.min(...barYs));
    expect(bottom).toBeGreaterThanOrEqual(Math.max(...barYs) + 14);
    const height = Number(/^<svg[^>]* height="([\d.]+)"/.exec(svg)?.[1]);
    expect(bottom).toBeLessThan(height);
  });

  it('keeps the zero line below the legend when the title takes two lines', () => {
    const long = renderGroupedBars({
      ...input,
      title: `${input.title}: Kreise und kreisfreie Städte des Rheinischen Reviers und das Land`,
    });
    expect(long).toContain('<tspan x="12" dy="20">');
    const legendY = Number(/<g aria-hidden="true"><rect x="[\d.]+" y="([\d.]+)"/.exec(long)?.[1]);
    const top = Number(/<line [^>]*y1="([\d.]+)"/.exec(long)?.[1]);
    expect(top).toBeGreaterThan(legendY + 12);
  });

  it('draws negative values left of the zero line', () => {
    const out = renderGroupedBars({
      items: ['weiblich', 'männlich'],
      groups: [
        {
          label: 'Düren, Kreis',
          values: [
            { value: -1.5, flag: null },
            { value: 2.5, flag: '()' },
          ],
        },
      ],
      title: 'Veränderung gegenüber dem Vorjahr',
      unit: 'Prozentpunkte',
      decimals: 1,
    });
    const zero = Number(/<line x1="([\d.]+)"/.exec(out)?.[1]);
    const rects = [...out.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="14"/g)];
    const [neg, pos] = rects.map((m) => ({ x: Number(m[1]), w: Number(m[2]) }));
    expect((neg?.x ?? 0) + (neg?.w ?? 0)).toBeCloseTo(zero, 0);
    expect(pos?.x).toBeCloseTo(zero, 0);
    expect(texts(out)).toEqual(
      expect.arrayContaining(['-1,5 Prozentpunkte', '(2,5) Prozentpunkte']),
    );
  });

  it('renders one group, and no group at all, without errors', () => {
    const one = renderGroupedBars({
      ...input,
      items: ['insgesamt'],
      groups: [{ label: 'Düren, Kreis', values: [{ value: 24550, flag: null }] }],
      unit: 'Personen',
      decimals: 0,
    });
    expect(one).toContain(
      '<desc id="bd-geschlecht-desc">Düren, Kreis, insgesamt: 24.550 Personen</desc>',
    );
    const empty = renderGroupedBars({ ...input, items: [], groups: [] });
    expect(empty).toContain('<desc id="bd-geschlecht-desc">–</desc>');
    expect(empty).not.toContain('<line');
    expect(empty).toMatch(/^<svg [^>]*height="\d+"/);
  });

  it('escapes labels and is deterministic', () => {
    const out = renderGroupedBars({
      ...input,
      items: ['A & B'],
      groups: [{ label: '<Kreis>', values: [{ value: 1, flag: null }] }],
    });
    expect(out).toContain('&lt;Kreis&gt;, A &amp; B: 1,00 %');
    expect(renderGroupedBars(input)).toBe(svg);
    expect(renderGroupedBars({ ...input, idPrefix: undefined })).toMatch(
      /aria-labelledby="bars-[0-9a-z]+-title"/,
    );
  });
});
