/**
 * Test support only: an indicator and value rows that cover what a download must get right —
 * a sign instead of a value, a suppressed value, a negative gap, a name that needs quoting.
 */
import { parseIndicators, type Indicator } from '../../indicators/index.ts';
import type { ValueRow } from '../values.ts';
import { DL_DE_BY_2_0, type ExportSource } from './source.ts';

export function indicator(extra: Record<string, unknown> = {}): Indicator {
  const [ind] = parseIndicators(
    [
      {
        id: 'D1-geschlecht',
        area: 'D',
        kind: 'gap',
        of: 'D1',
        dimension: 'geschlecht',
        minuend: 'weiblich',
        subtrahend: 'maennlich',
        title_de: 'Schülerinnen und Schüler an Gymnasien – Unterschied Mädchen − Jungen',
        title_en: 'Pupils at Gymnasien – gap girls minus boys',
        short_de: 'Gymnasialanteil Mädchen minus Jungen',
        definition_de: 'Differenz der Anteile in Prozentpunkten.',
        unit: 'Prozentpunkte',
        decimals: 1,
        polarity: 'neutral',
        period_kind: 'schuljahr',
        sources: ['21111-02-06-4'],
        caveats_de: 'Werte für Jungen als Insgesamt minus weiblich.',
        visibility: 'public',
        ...extra,
      },
    ],
    'test.yaml',
  );
  if (!ind) throw new Error('no indicator');
  return ind;
}

const row = (over: Partial<ValueRow>): ValueRow => ({
  region: '05358',
  name: 'Düren, Kreis',
  level: 'kreis',
  period: '2023',
  value: null,
  numerator: null,
  denominator: null,
  flag: null,
  error_bound: 0,
  method: 'published',
  ...over,
});

export const ROWS: ValueRow[] = [
  row({ value: 5.94, numerator: 1234, denominator: 20775, error_bound: 0.1 }),
  row({ region: '05334', name: 'Städteregion Aachen', value: -3.1, flag: 'p' }),
  row({ region: '05362', name: 'Rhein-Erft-Kreis', flag: '.' }),
  row({
    region: '05366',
    name: 'Euskirchen, Kreis',
    flag: '.',
    suppressed: 'primary',
    // A caller that forgot to blank the counts must not leak them.
    numerator: 3,
    denominator: 17,
  }),
  row({
    region: 'rheinisches-revier',
    name: 'Revier; "Rheinisches"',
    level: 'group',
    value: 12,
    method: 'group',
    numerator: 10_000.5,
    denominator: 80_000,
  }),
];

export const SOURCE: ExportSource = {
  tables: ['GENESIS-Online, Tabelle 21111-02-06-4'],
  stand: '2024-03-15',
  licence: DL_DE_BY_2_0,
};

export const AT = new Date('2024-05-01T12:30:00Z');
