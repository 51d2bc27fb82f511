import { describe, expect, it } from 'vitest';
import { harmonise, loadCrosswalks, partsOf, periodEnd, type CrosswalkRow } from './crosswalk.ts';

const crosswalks = loadCrosswalks();
const counts = (id: string) =>
  id === 'rate' ? { additive: false, dashIsZero: false } : { additive: true, dashIsZero: true };
const row = (
  regionCode: string,
  period: string,
  value: number | null,
  flag = null as CrosswalkRow['flag'],
): CrosswalkRow => ({
  variableId: 'schueler',
  regionCode,
  period,
  dimsKey: 'geschlecht=weiblich',
  value,
  flag,
});

describe('crosswalk aachen-2009', () => {
  it('is loaded from crosswalks.yaml with both former units and weight 1', () => {
    expect(partsOf('05334', crosswalks)).toEqual(['05313', '05354']);
    expect(crosswalks[0]?.effective).toBe('2009-10-21');
  });

  it('reads period ends: a year ends on 31.12., a winter semester after six months', () => {
    expect(periodEnd('2008')).toBe('2008-12-31');
    expect(periodEnd('2009-06-30')).toBe('2009-06-30');
    expect(periodEnd('2008-10P6M')).toBe('2009-03-31');
  });

  it('makes up 05334 before the reform as 05313 + 05354', () => {
    const { rows } = harmonise(
      [
        row('05313', '2008', 1200),
        row('05354', '2008', 2300),
        row('05313', '2009-06-30', 10),
        row('05354', '2009-06-30', 20),
      ],
      crosswalks,
      counts,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        regionCode: '05334',
        period: '2008',
        value: 3500,
        flag: null,
        method: 'crosswalk aachen-2009: 05313 + 05354',
      }),
      expect.objectContaining({ regionCode: '05334', period: '2009-06-30', value: 30 }),
    ]);
  });

  it('never sums after the reform: the `-` of the dissolved units is no value', () => {
    const { rows } = harmonise(
      [
        row('05313', '2023', null, '-'),
        row('05354', '2023', null, '-'),
        row('05334', '2023', 5000),
      ],
      crosswalks,
      counts,
    );
    expect(rows).toEqual([]);
  });

  it('keeps an official value of 05334 instead of summing the parts (no double count)', () => {
    const { rows } = harmonise(
      [row('05313', '2008', 1200), row('05354', '2008', 2300), row('05334', '2008', 3400)],
      crosswalks,
      counts,
    );
    expect(rows).toEqual([]);
  });

  it('needs every part, carries the strongest sign, and does not sum rates', () => {
    const { rows, notes } = harmonise(
      [
        row('05313', '2007', 1200),
        row('05313', '2008', null, '.'),
        row('05354', '2008', 2300, 'p'),
        { ...row('05313', '2008', 4.5), variableId: 'rate' },
        { ...row('05354', '2008', 5.5), variableId: 'rate' },
      ],
      crosswalks,
      counts,
    );
    expect(rows).toEqual([expect.objectContaining({ period: '2008', value: null, flag: '.' })]);
    expect(notes).toEqual([
      'schueler 2007: 05334 not made up, no value for 05354',
      'rate: not summed over 05313 + 05354 (not an additive count)',
    ]);
  });

  it('counts a `-` of a part as 0 where the variable says so, without flagging the sum', () => {
    const { rows } = harmonise(
      [row('05313', '2008', 7), row('05354', '2008', null, '-')],
      crosswalks,
      counts,
    );
    expect(rows).toEqual([expect.objectContaining({ value: 7, flag: null })]);
  });
});
