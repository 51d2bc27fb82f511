/**
 * The syntax tree of indicator formulas and the pure operations on it: listing the variable
 * references, printing canonical text and recognising share formulas (numerator / denominator).
 * Formulas are data, never code: everything here walks the tree, nothing evaluates strings.
 */

/**
 * Period alignment of a reference. `relative` counts reporting years from the period being
 * computed (`@-1` is `{ years: -1 }`); `absolute` pins a fixed reporting year (`@2011`).
 */
export type Shift = { kind: 'relative'; years: number } | { kind: 'absolute'; year: number };

/**
 * A variable, optionally restricted to some items of its dimensions (items of one dimension
 * are summed) and shifted in time. `pos` is the 1-based column of the variable id.
 */
export interface RefNode {
  kind: 'ref';
  variable: string;
  filters: Record<string, string[]>;
  shift: Shift | null;
  pos: number;
}

/**
 * A formula. `pos` is the 1-based column where the node's first token starts; parentheses are
 * not nodes, so `(a - b)` yields the `-` node at the column of `a`.
 */
export type Expr =
  | { kind: 'num'; value: number; pos: number }
  | RefNode
  | { kind: 'neg'; arg: Expr; pos: number }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr; pos: number };

export type BinOp = '+' | '-' | '*' | '/';

/** All references in left-to-right reading order (a reference used twice is listed twice). */
export function refsOf(expr: Expr): RefNode[] {
  const out: RefNode[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'num':
        return;
      case 'ref':
        out.push(e);
        return;
      case 'neg':
        walk(e.arg);
        return;
      case 'bin':
        walk(e.left);
        walk(e.right);
        return;
    }
  };
  walk(expr);
  return out;
}

// Binding strength: sums < products < sign < operands. Parentheses are printed only where
// the tree would otherwise re-parse differently, which makes the text canonical.
const PREC: Record<BinOp, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };
const NEG_PREC = 3;
const ATOM_PREC = 4;

function precOf(e: Expr): number {
  if (e.kind === 'bin') return PREC[e.op];
  if (e.kind === 'neg') return NEG_PREC;
  // A negative literal (only hand-built trees have one) prints with its sign, like a `neg`.
  if (e.kind === 'num' && (e.value < 0 || Object.is(e.value, -0))) return NEG_PREC;
  return ATOM_PREC;
}

/**
 * Plain decimal digits for a number: the grammar has no exponent notation, so `1e+21` and
 * `1e-7` are spelled out. Starting from String() keeps the shortest digits that read back as
 * the same double, so parseFormula(formatFormula(e)) restores the value exactly.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`a formula number must be finite, got ${value}`);
  }
  const text = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  const m = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return sign + text;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  // Position of the decimal point within `digits` after applying the exponent.
  const point = (m[1] ?? '').length + Number(m[3]);
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function formatRef(ref: RefNode): string {
  const conds = Object.entries(ref.filters).map(([dim, items]) => `${dim}=${items.join('|')}`);
  const filter = conds.length > 0 ? `[${conds.join(', ')}]` : '';
  let shift = '';
  if (ref.shift?.kind === 'relative') shift = `@${ref.shift.years}`;
  if (ref.shift?.kind === 'absolute') shift = `@${ref.shift.year}`;
  return ref.variable + filter + shift;
}

/**
 * Canonical text of a formula: single spaces around binary operators, `, ` between filter
 * conditions, and only the parentheses the tree needs. Filter order and item order are kept
 * as written because they are part of the tree.
 */
export function formatFormula(expr: Expr): string {
  const wrap = (e: Expr, needsParens: boolean): string =>
    needsParens ? `(${formatFormula(e)})` : formatFormula(e);
  switch (expr.kind) {
    case 'num':
      return formatNumber(expr.value);
    case 'ref':
      return formatRef(expr);
    case 'neg':
      return `-${wrap(expr.arg, precOf(expr.arg) < NEG_PREC)}`;
    case 'bin': {
      const p = PREC[expr.op];
      // Operators are left-associative: a right operand of equal strength needs parentheses
      // (`a - (b - c)`), a left one does not (`a - b - c`).
      const left = wrap(expr.left, precOf(expr.left) < p);
      const right = wrap(expr.right, precOf(expr.right) <= p);
      return `${left} ${expr.op} ${right}`;
    }
  }
}

/** A share formula taken apart: value = numerator / denominator * scale. */
export interface Ratio {
  numerator: Expr;
  denominator: Expr;
  scale: number;
}

const isNum = (e: Expr): e is { kind: 'num'; value: number; pos: number } => e.kind === 'num';

function quotient(e: Expr): Ratio | null {
  if (e.kind !== 'bin' || e.op !== '/') return null;
  // Dividing by a constant rescales a value (`a / 1000`), it does not make a share.
  if (refsOf(e.right).length === 0) return null;
  const n = e.left;
  if (n.kind === 'bin' && n.op === '*') {
    if (isNum(n.left)) return { numerator: n.right, denominator: e.right, scale: n.left.value };
    if (isNum(n.right)) return { numerator: n.left, denominator: e.right, scale: n.right.value };
  }
  return { numerator: n, denominator: e.right, scale: 1 };
}

/**
 * Recognises the top-level shapes `N / D`, `k * N / D`, `N * k / D`, `N / D * k` and
 * `k * (N / D)` with a number literal k, so share indicators can store their numerator and
 * denominator. Anything else (a difference, a sign in front, a constant denominator) is null.
 */
export function splitRatio(expr: Expr): Ratio | null {
  if (expr.kind === 'bin' && expr.op === '*') {
    const [k, inner] = isNum(expr.left)
      ? [expr.left, expr.right]
      : isNum(expr.right)
        ? [expr.right, expr.left]
        : [null, null];
    if (k === null || inner === null) return null;
    // `k * N / D` parses as `(k * N) / D` and is handled below; here only `k * (N / D)` and
    // `N / D * k` remain, and a scale inside the quotient multiplies with k.
    const r = quotient(inner);
    return r === null ? null : { ...r, scale: k.value * r.scale };
  }
  return quotient(expr);
}
