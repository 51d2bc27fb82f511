import { describe, expect, it } from 'vitest';
import type { Topology } from 'topojson-specification';
import { renderChoropleth, type ChoroplethInput, type ChoroplethValue } from './choropleth.ts';

/**
 * Three squares in a row near Aachen (lon 6–9, lat 50.5–51.5) and one far away outside the
 * NRW filter. Rings run counter-clockwise (RFC 7946), the order d3-geo must not take as is.
 */
const topology: Topology = {
  type: 'Topology',
  arcs: [
    [
      [7, 50.5],
      [7, 51.5],
    ], // 0: edge A|B
    [
      [7, 51.5],
      [6, 51.5],
      [6, 50.5],
      [7, 50.5],
    ], // 1: rest of A
    [
      [7, 50.5],
      [8, 50.5],
    ], // 2: bottom of B
    [
      [8, 50.5],
      [8, 51.5],
    ], // 3: edge B|C
    [
      [8, 51.5],
      [7, 51.5],
    ], // 4: top of B
    [
      [8, 50.5],
      [9, 50.5],
      [9, 51.5],
      [8, 51.5],
    ], // 5: rest of C
    [
      [12, 50.5],
      [13, 50.5],
      [13, 51.5],
      [12, 51.5],
      [12, 50.5],
    ], // 6: far square D
  ],
  objects: {
    kreise: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', id: '05358', arcs: [[1, 0]] },
        { type: 'Polygon', id: '05334', arcs: [[2, 3, 4, -1]] },
        { type: 'Polygon', id: '05362', arcs: [[5, -4]] },
        { type: 'Polygon', id: '06411', arcs: [[6]] },
      ],
    },
  },
};

const values = new Map<string, ChoroplethValue>([
  ['05358', { value: 5.86, flag: null, name: 'Düren, Kreis' }],
  ['05334', { value: null, flag: '.', name: 'Aachen' }],
  ['05362', { value: 4.57, flag: null, name: 'Rhein-Erft-Kreis & Co' }],
  ['06411', { value: 9, flag: null, name: 'Darmstadt' }],
]);

const base: ChoroplethInput = {
  topology,
  object: 'kreise',
  filter: (id) => id.startsWith('05'),
  values,
  outline: { ids: ['05358', '05334'], label: 'Rheinisches Revier' },
  title: 'Anteil ohne Hauptschulabschluss',
  unit: '%',
  decimals: 2,
};

const texts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''));

describe('renderChoropleth', () => {
  const svg = renderChoropleth(base);

  it('draws one path per region that passes the filter', () => {
    expect(svg.match(/data-region="/g)).toHaveLength(3);
    expect(svg).not.toContain('data-region="06411"');
  });

  it('titles each region with its German-formatted value or sign', () => {
    expect(svg).toContain('<title>Düren, Kreis: 5,86 %</title>');
    expect(svg).toContain('<title>Aachen: keine Angabe (.)</title>');
    expect(svg).toContain('<title>Rhein-Erft-Kreis &amp; Co: 4,57 %</title>');
  });

  it('hatches the region without a value', () => {
    const hatch = /<pattern id="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(hatch).toMatch(/^map-[0-9a-z]+-hatch$/);
    expect(svg).toContain(`data-region="05334"`);
    expect(svg).toMatch(new RegExp(`data-region="05334"[^>]*fill="url\\(#${hatch}\\)"`));
  });

  it('has a legend with German class ranges, the no-value swatch and the outline', () => {
    const legend = texts(svg);
    expect(legend).toContain('Werte in %');
    expect(legend).toContain('5,86');
    expect(legend).toContain('4,57');
    expect(legend).toContain('keine Angabe (.)');
    expect(legend).toContain('Rheinisches Revier');
    // Highest class first.
    expect(legend.indexOf('5,86')).toBeLessThan(legend.indexOf('4,57'));
  });

  it('draws the merged outer border of the outline group as one ring', () => {
    const group = /<g data-outline="Rheinisches Revier"[^>]*>(.*?)<\/g>/.exec(svg);
    expect(group).not.toBeNull();
    const d = /d="([^"]+)"/.exec(group?.[1] ?? '')?.[1] ?? '';
    expect(d.match(/M/g)).toHaveLength(1);
    expect(group?.[1]).toContain('stroke-width="2.2"');
  });

  it('projects every coordinate inside the SVG (rings are rewound for d3-geo)', () => {
    for (const m of svg.matchAll(/ d="([^"]+)"/g)) {
      const numbers = (m[1] ?? '').match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
      for (let i = 0; i + 1 < numbers.length; i += 2) {
        expect(numbers[i]).toBeGreaterThanOrEqual(0);
        expect(numbers[i]).toBeLessThanOrEqual(640);
        expect(numbers[i + 1]).toBeGreaterThanOrEqual(0);
        expect(numbers[i + 1]).toBeLessThanOrEqual(560);
      }
      // Rounded to one decimal.
      expect(m[1]).not.toMatch(/\.\d\d/);
    }
  });

  it('is an accessible image without scripts or inline styles', () => {
    const id = /aria-labelledby="([^"]+)-title"/.exec(svg)?.[1] ?? 'none';
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain(`aria-describedby="${id}-desc"`);
    expect(svg).toContain(`<title id="${id}-title">Anteil ohne Hauptschulabschluss</title>`);
    expect(svg).toMatch(new RegExp(`<desc id="${id}-desc">Karte mit 3 Regionen\\.`));
    expect(svg).not.toMatch(/<script|<style|style=/);
    expect(svg).not.toContain('tabindex');
  });

  it('is deterministic, with ids that differ between maps of different titles', () => {
    expect(renderChoropleth(base)).toBe(svg);
    const other = renderChoropleth({ ...base, title: 'Anteil mit Abitur' });
    const ids = (s: string): string[] => [...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1] ?? '');
    for (const id of ids(other)) expect(ids(svg)).not.toContain(id);
  });

  it('wraps regions in links when linkHref gives one, as a labelled group', () => {
    const linked = renderChoropleth({
      ...base,
      idPrefix: 'karte2',
      linkHref: (id) => (id === '05358' ? `/regionen/${id}?a=1&b=2` : null),
    });
    expect(linked).toMatch(/^<svg [^>]*role="group"/);
    expect(linked).toContain(
      '<a href="/regionen/05358?a=1&amp;b=2" aria-label="Düren, Kreis: 5,86 %"><path data-region="05358"',
    );
    expect(linked.match(/<a /g)).toHaveLength(1);
    expect(linked).toContain('id="karte2-title"');
  });

  it('shows a region missing from the values as without value, named by its code', () => {
    const svg2 = renderChoropleth({ ...base, values: new Map([...values].slice(0, 2)) });
    expect(svg2).toContain('<title>05362: keine Angabe (.)</title>');
  });

  it('explains a wrong object name or an empty selection', () => {
    expect(() => renderChoropleth({ ...base, object: 'gemeinden' })).toThrow(/has: kreise/);
    expect(() => renderChoropleth({ ...base, filter: () => false })).toThrow(/filter/);
  });
});
