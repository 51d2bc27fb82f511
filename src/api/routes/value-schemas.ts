/**
 * The schemas and helpers of the values routes (src/api/routes/values.ts): the region list
 * parameter, a value row, a comparison, and the breakdown parameters taken from the catalog.
 */
import { z } from '@hono/zod-openapi';
import { BimoError, REGION_LEVELS } from '../../domain/index.ts';
import type { ComparedValue, Comparison, Indicator } from '../../indicators/index.ts';
import { Flag } from '../openapi/schemas.ts';
import { round, roundUp } from '../values.ts';

export const Regions = z
  .string()
  .max(4000)
  .regex(/^\s*[^,\s]+(\s*,\s*[^,\s]+)*\s*$/, 'give region codes or group ids, separated by commas')
  .transform((v) => v.split(',').map((s) => s.trim()))
  .meta({
    description:
      'Region codes (AGS: 05 NRW, 05358 Kreis Düren, 05358008 Düren) or group ids (rheinisches-revier), comma-separated; answers keep this order.',
    example: '05358,05,rheinisches-revier',
  });

export const Value = z
  .object({
    region: z.string(),
    name: z.string(),
    level: z.enum([...REGION_LEVELS, 'group']),
    period: z.string(),
    value: z.number().nullable().meta({ description: 'Rounded to the indicator’s decimals.' }),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    flag: Flag,
    error_bound: z.number().meta({
      description: 'Largest possible error caused by rounded inputs (0: exact), rounded up.',
    }),
    method: z.enum(['published', 'aggregated', 'harmonised', 'group']).meta({
      description:
        '`published`: the official total; `aggregated`: summed from parts; `harmonised`: today’s territory from former units; `group`: a group sum.',
    }),
    suppressed: z.enum(['primary', 'secondary']).optional().meta({
      description: 'Set when disclosure control blanked the value for this viewer (flag `.`).',
    }),
  })
  .openapi('Value');

const Reference = z.object({
  region: z.string(),
  name: z.string(),
  value: z.number().nullable(),
  flag: Flag,
  error_bound: z.number(),
});

export const ComparisonSchema = Reference.extend({
  period: z.string(),
  dims: z.string(),
  level: z.string(),
  references: z.array(
    Reference.extend({
      kind: z.string().meta({ description: 'land, revier, kreis, peer, bund …' }),
      difference: z.number().nullable(),
      beyond_rounding: z.boolean().meta({
        description: 'Whether the difference is larger than the rounding of both values allows.',
      }),
    }),
  ),
  rank: z.unknown().nullable(),
  change: z
    .object({
      from: z.string(),
      value: z.number().nullable(),
      difference: z.number().nullable(),
      beyond_rounding: z.boolean(),
    })
    .nullable(),
}).openapi('Comparison');

/** The breakdown dimensions of the catalog, each a query parameter (`geschlecht=weiblich`). */
export function breakdownParams(catalog: readonly Indicator[]) {
  const dims = [...new Set(catalog.flatMap((i) => i.breakdowns))].sort();
  return Object.fromEntries(
    dims.map((d) => [
      d,
      z
        .string()
        .max(100)
        .optional()
        .meta({
          description: `Breakdown item of ${d} (only for indicators that have this breakdown; default: the total).`,
        }),
    ]),
  );
}

/**
 * The breakdown a request asks for: at most one of the indicator's breakdowns; a dimension the
 * indicator does not have is refused.
 */
export function breakdownOf(
  indicator: Indicator,
  q: Record<string, unknown>,
  dims: readonly string[],
): { dim: string; item: string } | undefined {
  const asked = dims.filter((d) => typeof q[d] === 'string' && q[d] !== '');
  const foreign = asked.find((d) => !indicator.breakdowns.includes(d));
  if (foreign) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `indicator ${indicator.id} has no breakdown by ${foreign}`,
      indicator.breakdowns.length
        ? `Its breakdowns: ${indicator.breakdowns.join(', ')}.`
        : 'It has no breakdowns; leave the parameter out.',
      { field: foreign },
    );
  }
  if (asked.length > 1) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `only one breakdown at a time, not ${asked.join(' and ')}`,
      `Ask for ${asked.map((d) => `${d}=…`).join(' or ')} in separate requests.`,
      { field: asked[1] },
    );
  }
  const dim = asked[0];
  return dim === undefined ? undefined : { dim, item: String(q[dim]) };
}

/** Rounded to the indicator's decimals (bounds rounded up), in the API's snake_case. */
export function presentComparison(
  c: Comparison,
  decimals: number,
): z.infer<typeof ComparisonSchema> {
  const r = (v: number | null): number | null => round(v, decimals);
  const value = (v: ComparedValue) => ({
    region: v.code,
    name: v.name,
    value: r(v.value),
    flag: v.flag,
    error_bound: roundUp(v.errorBound, decimals),
  });
  return {
    period: c.period,
    dims: c.dimsKey,
    ...value(c.region),
    level: c.region.level,
    references: c.references.map((ref) => ({
      ...value(ref),
      kind: ref.kind,
      difference: r(ref.difference),
      beyond_rounding: ref.beyondRounding,
    })),
    rank: c.rank,
    change: c.change && {
      from: c.change.from,
      value: r(c.change.value),
      difference: r(c.change.difference),
      beyond_rounding: c.change.beyondRounding,
    },
  };
}
