import { describe, expect, it } from 'vitest';
import { renderSparkline, sparklineText, type SparkPoint } from './sparkline.ts';

const pts: SparkPoint[] = [
  { label: '2021', value: 5.1, text: '5,1 %' },
  { label: '2022', value: null, text: '.' },
  { label: '2023', value: 5.9, text: '5,9 %' },
  { label: '2024', value: 7.9, text: '7,9 %' },
];

describe('sparkline', () => {
  it('names itself and lists every value as text, signs included', () => {
    expect(sparklineText(pts)).toBe('2021: 5,1 %; 2022: .; 2023: 5,9 %; 2024: 7,9 %');
    const svg = renderSparkline({ points: pts, title: 'Verlauf D6 <Düren>' });
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-label="Verlauf D6 &lt;Düren&gt;. 2021: 5,1 %; 2022: .;');
    expect(svg).toContain('<title>Verlauf D6 &lt;Düren&gt;.');
    expect(svg).not.toContain('style');
  });

  it('breaks the line at a missing value and marks the last point', () => {
    const svg = renderSparkline({ points: pts, title: 't', width: 96, height: 24 });
    // 2021 stands alone (a dot only), 2023–2024 form one line.
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('points="63,15.9 93,3"');
    expect(svg).toContain('cx="93" cy="3" r="2.5"');
  });

  it('draws a flat series in the middle and an empty one without marks', () => {
    const flat = renderSparkline({
      points: [
        { label: 'a', value: 1, text: '1' },
        { label: 'b', value: 1, text: '1' },
      ],
      title: 't',
    });
    expect(flat).toContain('points="3,12 93,12"');
    const empty = renderSparkline({ points: [], title: 'leer' });
    expect(empty).not.toContain('<polyline');
    expect(empty).toContain('aria-label="leer. –"');
  });
});
