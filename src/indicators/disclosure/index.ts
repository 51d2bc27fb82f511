/**
 * Disclosure control (Geheimhaltung, domain.md §3.6): the rules per audience, the additive
 * relations of a table, primary and secondary suppression, and the joint audit with its repair.
 */
export {
  DEFAULT_DISCLOSURE,
  type DisclosedValue,
  type DisclosureInput,
  type DisclosureRule,
} from './rules.ts';
export { relationsOf } from './relations.ts';
export { disclose } from './disclose.ts';
export { blankSuppressed } from './blank.ts';
export { recoverableCells, type Counts, type Relation } from './audit.ts';
export { repairLeaks, type LeakRepair } from './repair.ts';
