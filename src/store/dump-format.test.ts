/** The dump's value encoding: every double, BIGINT and byte string reads back exactly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, type ColumnType } from './dump-format.ts';

const roundTrip = (v: unknown, type: ColumnType): unknown =>
  decodeValue(JSON.parse(JSON.stringify(encodeValue(v, type))) as unknown, type);

describe('dump value encoding', () => {
  it('round-trips every double bit for bit (-0 becomes 0, as DuckDB stores it)', () => {
    fc.assert(
      fc.property(fc.double(), (d) => {
        const back = roundTrip(d, 'double');
        expect(Object.is(back, d) || (d === 0 && back === 0)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    expect(JSON.stringify(encodeValue(Number.NaN, 'double'))).toBe('{"$double":"NaN"}');
    expect(JSON.stringify(encodeValue(0.1 + 0.2, 'double'))).toBe('0.30000000000000004');
  });

  it('writes BIGINTs beyond 2^53 as exact decimal strings', () => {
    expect(encodeValue('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(encodeValue(42n, 'bigint')).toBe(42);
    expect(roundTrip('-9223372036854775808', 'bigint')).toBe('-9223372036854775808');
  });

  it('round-trips bytes and any text', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.string({ unit: 'grapheme' }), (bytes, text) => {
        expect(Buffer.from(roundTrip(bytes, 'bytes') as Uint8Array)).toEqual(Buffer.from(bytes));
        expect(roundTrip(text, 'text')).toBe(text);
      }),
    );
  });

  it('refuses values of another type', () => {
    expect(() => decodeValue('1', 'integer')).toThrow('"1" is not a valid integer value');
    expect(() => decodeValue(2 ** 31, 'integer')).toThrow(/not a valid integer/);
    expect(() => decodeValue({ $double: 'nan' }, 'double')).toThrow(/not a valid double/);
    expect(() => decodeValue({ $base64: 'a b' }, 'bytes')).toThrow(/not a valid bytes/);
    expect(() => decodeValue(1, 'boolean')).toThrow(/not a valid boolean/);
  });
});
