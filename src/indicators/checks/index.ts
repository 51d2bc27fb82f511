/**
 * Data quality checks (`bimo check`, docs/checks.md): each check reads the stored observations or
 * indicator values of one release and reports findings that say what was found (with the numbers),
 * why it matters and what the monitoring staff should do. Checks only report; they change nothing.
 * Rounding (5er-Rundung) and CKM perturbation are allowed for, so only real discrepancies are
 * reported, not the noise the statistical offices add on purpose (domain.md §3.5–3.6).
 * This file is the public surface: one module per check (parts, rates, jumps, values, flags),
 * what they share in finding.ts and rounding.ts, loading and running them in run.ts.
 */
export {
  CKM_STATISTICS,
  JUMP_RELATIVE,
  JUMP_SHARE_PP,
  MISSING_SIGNS,
  RATE_TOLERANCE,
  regionLabel,
  REVIER_KREISE,
  STALE_YEARS,
  subjectOf,
  type CheckData,
  type Finding,
} from './finding.ts';
export { inferBase } from './rounding.ts';
export { checkPartsVsTotal, refines } from './parts.ts';
export { checkPublishedRate, RATE_RULES, type RateRule } from './rates.ts';
export { checkJumps } from './jumps.ts';
export { checkCoverage, checkShareRange, checkSmallCounts, isShare } from './values.ts';
export { checkFlagCounts, checkRevierFlags } from './flags.ts';
export { runAll, runChecks } from './run.ts';
