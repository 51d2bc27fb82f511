/**
 * How every reader shows a value that disclosure control suppressed for its audience: no value,
 * no counts, no bound, the official sign `.`. One function, so the API, compare, downloads and
 * pages cannot drift apart in what they blank.
 */
import type { Audience, IndicatorValue } from '../../store/index.ts';

export function blankSuppressed(v: IndicatorValue, audience: Audience): IndicatorValue {
  if (!v.suppressed?.[audience]) return v;
  return { ...v, value: null, numerator: null, denominator: null, errorBound: 0, flag: '.' };
}
