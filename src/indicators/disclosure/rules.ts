/**
 * Disclosure rules per audience and the shapes disclosure control reads and writes (Geheimhaltung,
 * domain.md §3.6).
 */
import type { Audience, IndicatorValue } from '../../store/types.ts';
import type { RegionTree } from '../compute.ts';

export interface DisclosureRule {
  /** Counts in [1, minCount − 1] are suppressed; 0 and 1 switch primary suppression off. */
  minCount: number;
  /** Protect suppressed cells against recalculation from totals, relation by relation and jointly. */
  secondary: boolean;
}

/** The public sees official practice (3 cases, secondary suppression); the committee sees all. */
export const DEFAULT_DISCLOSURE: Record<Audience, DisclosureRule> = {
  public: { minCount: 3, secondary: true },
  member: { minCount: 0, secondary: false },
};

/**
 * A value after one rule: `suppressed` says why it is blanked. The store keeps one such entry per
 * audience (IndicatorValue.suppressed); an incoming map of that kind is dropped here.
 */
export type DisclosedValue = Omit<IndicatorValue, 'suppressed'> & {
  suppressed?: 'primary' | 'secondary';
};

export interface DisclosureInput {
  /** May mix indicators, periods, releases and dims keys. */
  values: IndicatorValue[];
  regions: RegionTree;
  rule: DisclosureRule;
  /** Indicator ids to which control applies (protect: true); other indicators pass unchanged. */
  protectedIndicators: ReadonlySet<string>;
}
