/**
 * What the RecordMapper decides per value cell from its variable and Merkmal items alone: the
 * recipe variable (or skip, or an error), each dimension's item and the dims key. A Germany-wide
 * flat file repeats the same few combinations millions of times (12411: 824,430 rows, 3
 * combinations), so each combination is worked out once and the result reused: recipe matching,
 * the dims object and its sorted key cost more than everything else per row together.
 */
import { dimsKey, type Dims } from '../domain/index.ts';
import type { RawDim, RawRecord } from './records.ts';
import { slug } from './records.ts';
import type { Recipe } from './recipe.ts';
import { pickVariable, resolveDim, type DimResult, type VariablePlan } from './recipe-plan.ts';

/** The decision for one combination of variable and items (pure: the same record, the same plan). */
export interface CellPlan {
  /** The recipe variable, `skip`, an error, or null without a recipe (generic mapping). */
  picked: VariablePlan | 'skip' | { error: string } | null;
  /** One result per dimension, in the recipe's (or the record's) order. */
  resolved: DimResult[];
  /** A dimension says skip (wins over dimension errors, as before any item is used). */
  skip: boolean;
  dims: Dims;
  /** dimsKey(dims) of the dimensions resolved before the first error. */
  dimsKey: string;
  /** Set by the mapper once the plan's items are registered (they never change afterwards). */
  itemsRegistered: boolean;
}

/** Generic: a dim of the record becomes a dimension named after its code. */
export function genericDim(
  d: RawDim,
  namespace: string,
): { dim: string; item: string; label: string } {
  // Positional codes (H2, Z4) only mean something within their table.
  const dim = /^[HZ]\d+$/.test(d.code) ? `${namespace}_${d.code.toLowerCase()}` : slug(d.code);
  const total = d.itemCode === '' && /^insgesamt$/i.test(d.itemLabel.trim());
  const item = total ? 'insgesamt' : slug(d.itemCode || d.itemLabel);
  return { dim, item, label: d.itemLabel };
}

/** Beyond this many distinct combinations the cache starts over (memory stays bounded). */
const MAX_PLANS = 100_000;

export class CellPlans {
  private readonly plans = new Map<string, CellPlan>();
  private readonly genericByDim = new Map<string, ReturnType<typeof genericDim>>();

  constructor(
    private readonly recipe: Recipe | undefined,
    private readonly variablePlans: VariablePlan[],
    private readonly namespace: string,
  ) {}

  /** The plan of a record: everything pickVariable and resolveDim read is in the key. */
  of(rec: RawRecord): CellPlan {
    let key = rec.variable.code;
    for (const d of rec.dims) key += `\u0001${d.code}\u0000${d.itemCode}\u0000${d.itemLabel}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = this.build(rec);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }

  private build(rec: RawRecord): CellPlan {
    const { recipe } = this;
    const picked = recipe ? pickVariable(recipe, this.variablePlans, rec) : null;
    const resolved: DimResult[] =
      picked === 'skip' || (picked !== null && 'error' in picked)
        ? []
        : recipe
          ? (picked?.dims ?? []).map((p) => resolveDim(recipe, p, rec))
          : rec.dims.map((d) => this.generic(d));
    const dims: Dims = {};
    for (const r of resolved) {
      if (r === 'skip') continue;
      if ('error' in r) break;
      dims[r.dim] = r.item;
    }
    return {
      picked,
      resolved,
      skip: resolved.includes('skip'),
      dims,
      dimsKey: dimsKey(dims),
      itemsRegistered: false,
    };
  }

  private generic(d: RawDim): ReturnType<typeof genericDim> {
    const k = `${d.code}\u0000${d.itemCode}\u0000${d.itemLabel}`;
    let g = this.genericByDim.get(k);
    if (!g) {
      g = genericDim(d, this.namespace);
      this.genericByDim.set(k, g);
    }
    return g;
  }
}
