/**
 * The .xls reader on hostile input: random byte changes and cuts of a written workbook (mini
 * stream, shared strings over CONTINUE, every cell record) and of a real INKAR export give a
 * workbook or a BimoError, quickly — never another exception, a hang or a huge allocation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../../test/helpers/sample.ts';
import { BimoError } from '../../../domain/index.ts';
import { readXls } from './index.ts';
import {
  biff8,
  chars,
  formula,
  label,
  labelSst,
  number,
  rec,
  rk,
  u16,
  u32,
  xlString,
  xlsFile,
} from './testkit.ts';

const WRITTEN = xlsFile(
  biff8(
    [
      {
        name: 'Daten',
        records: [
          labelSst(0, 0, 0),
          labelSst(0, 1, 1),
          number(1, 1, 12.5),
          rk(2, 1, (1234 << 2) | 3),
          label(3, 0, 'Zäh €'),
          formula(4, 1, [0, 0, 0, 0, 0, 0, 0xff, 0xff]),
          rec(0x0207, xlString('text result')),
          rec(0x00bd, [
            ...u16(9),
            ...u16(2),
            ...u16(15),
            ...u32(30),
            ...u16(15),
            ...u32(0x3ff80000),
            ...u16(3),
          ]),
        ],
      },
      { name: 'Zweite', records: [number(0, 0, 1)] },
    ],
    [
      rec(0x00fc, [...u32(2), ...u32(2), ...u16(7), 0, ...chars('abc', false)]),
      rec(0x003c, [1, ...chars('dëf€', true), ...xlString('zwei')]),
    ],
  ),
);
const REAL = readFileSync(join(SAMPLE_DIR, 'statistics/inkar/B_BeschaeftigtemitakadAbschluss.xls'));

/** Reads the bytes; anything but a result or a BimoError fails the property, as does slowness. */
function survives(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    readXls(bytes, 'fuzz.xls');
  } catch (err) {
    if (!(err instanceof BimoError)) throw err;
    expect(err.message).toMatch(/^fuzz\.xls/);
  }
  expect(performance.now() - started).toBeLessThan(2000);
}

/** Byte edits: at random places, or within the first `hot` bytes (header, FAT, directory). */
const edits = (length: number, hot: number) =>
  fc.array(
    fc.tuple(fc.oneof(fc.nat({ max: hot - 1 }), fc.nat({ max: length - 1 })), fc.nat({ max: 255 })),
    { minLength: 1, maxLength: 12 },
  );

function apply(base: Uint8Array, changes: [number, number][], cut: number | null): Uint8Array {
  const bytes = Uint8Array.from(base);
  for (const [at, value] of changes) bytes[at] = value;
  return cut === null ? bytes : bytes.subarray(0, cut);
}

describe('readXls survives hostile input', () => {
  it('written workbook: random byte changes and cuts', () => {
    fc.assert(
      fc.property(
        edits(WRITTEN.length, 2048),
        fc.option(fc.nat({ max: WRITTEN.length }), { freq: 3 }),
        (changes, cut) => survives(apply(WRITTEN, changes, cut)),
      ),
      { numRuns: 400 },
    );
  });

  it('written workbook: 32-bit fields overwritten with extreme values', () => {
    const extreme = fc.constantFrom(0, 1, 0x7fffffff, 0xfffffffa, 0xfffffffe, 0xffffffff, 65535);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: WRITTEN.length - 4 }), extreme), { maxLength: 4 }),
        (words) => {
          const bytes = Buffer.from(WRITTEN);
          for (const [at, v] of words) bytes.writeUInt32LE(v, at - (at % 4));
          survives(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('real INKAR export: random byte changes and cuts', () => {
    fc.assert(
      fc.property(
        edits(REAL.length, 4096),
        fc.option(fc.nat({ max: REAL.length }), { freq: 4 }),
        (changes, cut) => survives(apply(REAL, changes, cut)),
      ),
      { numRuns: 150 },
    );
  });

  it('random bytes behind an OLE2 signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), (tail) => {
        const bytes = new Uint8Array(8 + tail.length);
        bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
        bytes.set(tail, 8);
        survives(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
