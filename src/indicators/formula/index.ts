/**
 * The indicator formula language: text such as `100 * a[g=x] / b@-1` is parsed into a tree
 * (never evaluated as code), printed back canonically, split into numerator and denominator
 * for share indicators, and evaluated with interval arithmetic for rounded inputs.
 */
export {
  formatFormula,
  refsOf,
  splitRatio,
  type BinOp,
  type Expr,
  type Ratio,
  type RefNode,
  type Shift,
} from './ast.ts';
export {
  FormulaError,
  formulaErrorExcerpt,
  parseFormula,
  MAX_FORMULA_LENGTH,
  MAX_NESTING,
} from './parse.ts';
export { evaluate, type Quantity } from './evaluate.ts';
