/**
 * Every parser on hostile input: random bytes, cut files and shuffled lines never crash or hang,
 * and every issue carries a line and column.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../test/helpers/sample.ts';
import * as cube from './cube/index.ts';
import * as ffcsv from './ffcsv/index.ts';
import { parseClassic } from './classic-csv/parse.ts';

const FF = readFileSync(
  `${SAMPLE_DIR}/genesis-samples/ffcsv/11111-02-01-4_1773174974558_de_flat.csv`,
  'utf8',
);
const CUBE = readFileSync(`${SAMPLE_DIR}/genesis-samples/cube/cubefile-47414BJ002.csv`, 'utf8');
const NRW = new TextDecoder('windows-1252').decode(
  readFileSync(`${SAMPLE_DIR}/genesis-samples/landesdatenbank-nrw/2024/22811-05i.csv`),
);

function checkIssues(issues: { line: number; column: number }[]): void {
  for (const i of issues) {
    expect(i.line).toBeGreaterThan(0);
    expect(i.column).toBeGreaterThan(0);
  }
}

const mutate = (text: string) =>
  fc
    .tuple(fc.nat({ max: text.length }), fc.nat({ max: 200 }), fc.string({ maxLength: 20 }))
    .map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del));

describe('parsers survive hostile input', () => {
  it('ffcsv: cut and mutated real files', () => {
    fc.assert(
      fc.property(mutate(FF.slice(0, 4000)), (text) => {
        if (!ffcsv.detect(text)) return;
        checkIssues(ffcsv.parse(text, 'x_1234567890123_de_flat.csv').issues);
      }),
      { numRuns: 200 },
    );
  });

  it('cube: cut and mutated real files', () => {
    fc.assert(
      fc.property(mutate(CUBE.slice(0, 3000)), (text) => {
        if (!cube.detect(text)) return;
        checkIssues(cube.parse(text).issues);
      }),
      { numRuns: 200 },
    );
  });

  it('classic (IT.NRW layout): cut and mutated real files', () => {
    fc.assert(
      fc.property(mutate(NRW.slice(0, 3000)), (text) => {
        checkIssues(parseClassic(text).issues);
      }),
      { numRuns: 200 },
    );
  });

  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (s) => {
        ffcsv.parse(`statistics_code;statistics_label;time_code;time_label;time;${s}`, 'x.csv');
        cube.parse(`K;DQ;${s}`);
        parseClassic(`Tabelle: X\n${s}`);
      }),
      { numRuns: 300 },
    );
  });
});
