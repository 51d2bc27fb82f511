/**
 * published-rate on small hand-made inputs: a rate that does not fit its counts is reported, the
 * rest is summed up, and Gemeinden without a population are checked together per Kreis.
 */
import { describe, expect, it } from 'vitest';
import { checkPublishedRate } from './index.ts';
import { dataOf, row, variable } from './test-helpers.ts';

describe('published-rate', () => {
  const variables = new Map(
    ['mindestsicherungsquote', 'mindestsicherung_empfaenger', 'bevoelkerung'].map((id) => [
      id,
      variable(id, { additive: id !== 'mindestsicherungsquote' }),
    ]),
  );
  const rate = (code: string, v: number) =>
    row('mindestsicherungsquote', code, v, { period: '2024' });
  const rec = (code: string, v: number) =>
    row('mindestsicherung_empfaenger', code, v, {
      period: '2024',
      dimsKey: 'leistungsart_mindestsicherung=insgesamt',
    });
  const pop = (code: string, v: number) =>
    row('bevoelkerung', code, v, {
      period: '2024-12-31',
      dimsKey: 'altersgruppe=insgesamt;geschlecht=insgesamt',
    });

  it('reports a region whose rate differs by more than 0.05 and sums up the rest', () => {
    const rows = [
      // Düren: 2.950 / 27.000 = 10,93 % → published 10,9 agrees.
      rate('05358', 10.9),
      rec('05358', 2950),
      pop('05358', 27000),
      // Rhein-Erft: 1.000 / 20.000 = 5,0 %, published 5,2 → differs by 0,2.
      rate('05362', 5.2),
      rec('05362', 1000),
      pop('05362', 20000),
      // A Gemeinde without population cannot be checked on its own.
      rate('05362004', 5.0),
      rec('05362004', 1000),
    ];
    const found = checkPublishedRate(dataOf({ variables, rows }));
    const warning = found.find((f) => f.severity === 'warning' && f.data.region === '05362');
    expect(warning?.message_de).toContain('berechnet 5,00 %');
    expect(warning?.data.difference).toBeCloseTo(-0.2);
    const summary = found.find((f) => f.severity === 'info');
    expect(summary?.data).toMatchObject({ stimmt_kreis: 1, abweichend_kreis: 1 });
    // The Gemeinde is checked jointly: 100 × 1.000 / 5,0 ± 0,05 ≈ 19.802–20.202 ∋ 20.000.
    expect(summary?.data).toMatchObject({
      indirekt_stimmt_kreise: 1,
      indirekt_stimmt_gemeinden: 1,
    });
  });

  it('reports a Kreis whose Gemeinde rates imply another population', () => {
    const rows = [pop('05362', 30000), rate('05362004', 5.0), rec('05362004', 1000)];
    const [f] = checkPublishedRate(dataOf({ variables, rows })).filter(
      (x) => x.severity === 'warning',
    );
    expect(f?.message_de).toContain(
      'folgen 19.802 bis 20.202 Einwohner, veröffentlicht sind 30.000',
    );
  });
});
