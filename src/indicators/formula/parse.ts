/**
 * Tokenizer and recursive-descent parser for indicator formulas such as
 * `100 * kita_kinder[alter=u3] / bevoelkerung[altersgruppe=a00_03]@-1`. Formulas come from
 * catalog files and users, so the text is only ever parsed into a tree, never run as code,
 * and every mistake is reported with its column and what to write instead.
 */
import type { BinOp, Expr, RefNode, Shift } from './ast.ts';
import { describeToken, FormulaError, IDENT, ITEM, Lexer, NUMBER, type Token } from './tokens.ts';

export { FormulaError, formulaErrorExcerpt } from './tokens.ts';

/** Long enough for any real indicator, short enough that tree walks cannot exhaust the stack. */
export const MAX_FORMULA_LENGTH = 2000;
/** Parentheses and signs nested deeper than this are a typo, not a formula. */
export const MAX_NESTING = 64;

const OPERAND = 'a number, a variable or "("';

class Parser {
  private tok: Token;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly lexer: Lexer,
  ) {
    this.tok = lexer.next();
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  private is(punct: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === punct;
  }

  private fail(expected: string, hint = ''): never {
    const t = this.tok;
    const msg = `expected ${expected} but found ${describeToken(t)} at column ${t.pos}`;
    throw new FormulaError(hint === '' ? msg : `${msg}; ${hint}`, t.pos, this.text);
  }

  formula(): Expr {
    const e = this.expr();
    if (this.tok.kind === 'end') return e;
    if (this.is(')')) {
      const pos = this.tok.pos;
      throw new FormulaError(
        `found ")" at column ${pos} without a matching "("; remove it or add the "(" it closes`,
        pos,
        this.text,
      );
    }
    const between = this.tok.kind === 'word' || this.is('(');
    this.fail(
      'an operator (+ - * /) or the end of the formula',
      between ? 'two operands need an operator between them' : '',
    );
  }

  private expr(): Expr {
    let left = this.term();
    while (this.is('+') || this.is('-')) {
      const op = this.advance().text as BinOp;
      const right = this.term();
      left = { kind: 'bin', op, left, right, pos: left.pos };
    }
    return left;
  }

  private term(): Expr {
    let left = this.unary();
    while (this.is('*') || this.is('/')) {
      const op = this.advance().text as BinOp;
      const right = this.unary();
      left = { kind: 'bin', op, left, right, pos: left.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (!this.is('-')) return this.primary();
    const pos = this.advance().pos;
    this.enter(pos);
    const arg = this.unary();
    this.depth--;
    return { kind: 'neg', arg, pos };
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_NESTING) {
      throw new FormulaError(
        `parentheses and signs nest deeper than ${MAX_NESTING} levels at column ${pos}; ` +
          'simplify the formula',
        pos,
        this.text,
      );
    }
  }

  private primary(): Expr {
    const t = this.tok;
    if (t.kind === 'punct' && t.text === '(') {
      this.advance();
      this.enter(t.pos);
      const inner = this.expr();
      this.depth--;
      if (!this.is(')')) this.fail(`")" to close the "(" at column ${t.pos}`);
      this.advance();
      return inner;
    }
    if (t.kind === 'word' && NUMBER.test(t.text)) return this.number(t.text, t.pos);
    if (t.kind === 'word' && IDENT.test(t.text)) return this.ref(t.text, t.pos);
    if (t.kind === 'word') this.fail(OPERAND, 'variable ids start with a lowercase letter');
    if (t.kind === 'punct' && t.text === '.') this.fail(OPERAND, 'write 0.5, not .5');
    this.fail(OPERAND);
  }

  private number(text: string, pos: number): Expr {
    this.advance();
    // `1,5`: a decimal comma, not a list. Only flagged when a digit follows the comma directly.
    if (this.is(',') && this.tok.pos === pos + text.length && /\d/.test(this.lexer.peekChar(0))) {
      const frac = /^\d+/.exec(this.text.slice(this.tok.pos))?.[0] ?? '';
      throw new FormulaError(
        `found a decimal comma at column ${this.tok.pos}; ` +
          `numbers use a decimal point: write ${text}.${frac} instead of ${text},${frac}`,
        this.tok.pos,
        this.text,
      );
    }
    if (this.is('.') && this.tok.pos === pos + text.length) {
      this.fail('digits after the decimal point', `write ${text} or ${text}.5, for example`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new FormulaError(
        `the number at column ${pos} is too large to compute with; use a smaller scale`,
        pos,
        this.text,
      );
    }
    return { kind: 'num', value, pos };
  }

  private ref(variable: string, pos: number): RefNode {
    this.advance();
    const filters = this.is('[') ? this.filter() : {};
    const shift = this.is('@') ? this.shift() : null;
    return { kind: 'ref', variable, filters, shift, pos };
  }

  private filter(): Record<string, string[]> {
    this.advance(); // [
    const filters: Record<string, string[]> = {};
    for (;;) {
      const dim = this.tok;
      if (dim.kind !== 'word' || !IDENT.test(dim.text)) {
        this.fail('a dimension id (lowercase, starting with a letter)');
      }
      if (Object.hasOwn(filters, dim.text)) this.duplicateDimension(dim, filters[dim.text] ?? []);
      this.advance();
      if (!this.is('=')) this.fail(`"=" after the dimension "${dim.text}"`);
      filters[dim.text] = this.items(dim.text);
      if (this.is(']')) {
        this.advance();
        return filters;
      }
      if (!this.is(',')) this.fail('"|" for another item, "," for another dimension or "]"');
      this.advance();
    }
  }

  /** Reports `a[g=x, g=y]`, suggesting the combined condition `g=x|y` when the repeat reads well. */
  private duplicateDimension(dim: Token, first: string[]): never {
    let example = `${dim.text}=${[...first, 'y'].join('|')}`;
    this.advance();
    if (this.is('=')) {
      try {
        example = `${dim.text}=${[...new Set([...first, ...this.items(dim.text)])].join('|')}`;
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
      }
    }
    throw new FormulaError(
      `dimension "${dim.text}" appears twice in the filter at column ${dim.pos}; ` +
        `list all its items in one condition, separated by "|": ${example}`,
      dim.pos,
      this.text,
    );
  }

  /** One or more items after `=`, separated by `|`; they are summed, so a repeat would count twice. */
  private items(dim: string): string[] {
    const items: string[] = [];
    let after = '"="';
    for (;;) {
      this.advance(); // = or |
      const t = this.tok;
      if (t.kind !== 'word' || !ITEM.test(t.text)) this.fail(`a dimension item after ${after}`);
      if (items.includes(t.text)) {
        throw new FormulaError(
          `item "${t.text}" of dimension "${dim}" appears twice at column ${t.pos}; ` +
            'items are summed, so remove the repeat',
          t.pos,
          this.text,
        );
      }
      items.push(t.text);
      this.advance();
      if (!this.is('|')) return items;
      after = '"|"';
    }
  }

  private shift(): Shift {
    this.advance(); // @
    const expected = 'a number of years like @-1 or a four-digit year like @2011 after "@"';
    if (this.is('-')) {
      this.advance();
      const t = this.tok;
      if (t.kind !== 'word' || !/^\d{1,4}$/.test(t.text)) {
        this.fail('a number of years after "@-" (as in @-1)');
      }
      const years = Number(t.text);
      if (years === 0) this.fail('a number of years of at least 1', 'drop "@-0" for the same year');
      this.advance();
      return { kind: 'relative', years: -years };
    }
    const t = this.tok;
    if (t.kind !== 'word' || !/^[1-9]\d{3}$/.test(t.text)) this.fail(expected);
    this.advance();
    return { kind: 'absolute', year: Number(t.text) };
  }
}

/** Parses formula text into a tree; throws FormulaError naming the column and the fix. */
export function parseFormula(text: string): Expr {
  if (text.trim() === '') {
    throw new FormulaError(
      'the formula is empty; write an expression such as 100 * a / b',
      1,
      text,
    );
  }
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(
      `the formula has ${text.length} characters, more than the limit of ${MAX_FORMULA_LENGTH}; ` +
        'shorten it',
      MAX_FORMULA_LENGTH + 1,
      text,
    );
  }
  return new Parser(text, new Lexer(text)).formula();
}
