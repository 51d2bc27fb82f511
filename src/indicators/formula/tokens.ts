/**
 * The tokenizer of the formula language and its error type. Words are runs of [a-z0-9_] that
 * the parser classifies by context; everything outside the alphabet is rejected here, with a
 * hint for the usual slips (capitals, umlauts).
 */

/** A formula that does not follow the grammar; `position` is the 1-based column. */
export class FormulaError extends Error {
  readonly position: number;
  readonly formula: string;

  constructor(message: string, position: number, formula: string) {
    super(message);
    this.name = 'FormulaError';
    this.position = position;
    this.formula = formula;
  }
}

/** Two lines for a terminal or log: the formula and a `^` under the offending column. */
export function formulaErrorExcerpt(err: FormulaError): string {
  // Tabs and line breaks would shift or split the first line; each is one column wide.
  const line = err.formula.replace(/\s/g, ' ');
  return `${line}\n${' '.repeat(Math.max(0, err.position - 1))}^`;
}

const PUNCT = '+-*/()[]=|,@.';
const WORD_CHAR = /[a-z0-9_]/;
export const IDENT = /^[a-z][a-z0-9_]*$/;
export const ITEM = /^[a-z0-9_]+$/;
const INT = /^\d+$/;
export const NUMBER = /^\d+(\.\d+)?$/;
const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** A word is a run of [a-z0-9_], plus a decimal part when it is a number; the parser decides
 * from context whether it must be a number, an id or a dimension item (items like `15_25`
 * may start with a digit, so the tokenizer cannot tell them from numbers). */
export type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'punct'; text: string; pos: number }
  | { kind: 'end'; text: ''; pos: number };

export class Lexer {
  private i = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    const s = this.text;
    while (this.i < s.length && /\s/.test(s.charAt(this.i))) this.i++;
    const start = this.i;
    const pos = start + 1;
    if (start >= s.length) return { kind: 'end', text: '', pos };
    // Whole code points, so an unknown emoji is quoted intact in the message.
    const c = String.fromCodePoint(s.codePointAt(start) ?? 0);
    if (WORD_CHAR.test(c)) {
      while (this.i < s.length && WORD_CHAR.test(s.charAt(this.i))) this.i++;
      const head = s.slice(start, this.i);
      // A decimal point belongs to a number only when digits follow it (`1.5`, not `1.`).
      if (INT.test(head) && s.charAt(this.i) === '.' && /\d/.test(s.charAt(this.i + 1))) {
        this.i++;
        while (/\d/.test(s.charAt(this.i))) this.i++;
      }
      return { kind: 'word', text: s.slice(start, this.i), pos };
    }
    if (PUNCT.includes(c)) {
      this.i++;
      return { kind: 'punct', text: c, pos };
    }
    throw new FormulaError(unknownCharacter(c, pos), pos, s);
  }

  /** The character right after the last token, to spot `1,5` written without spaces. */
  peekChar(offset: number): string {
    return this.text.charAt(this.i + offset);
  }
}

function unknownCharacter(c: string, pos: number): string {
  const lower = c.toLowerCase();
  if (/[A-Z]/.test(c)) {
    return `found "${c}" at column ${pos}: variable and dimension ids are lowercase, write "${lower}"`;
  }
  const plain = UMLAUTS[lower];
  if (plain !== undefined) {
    return `found "${c}" at column ${pos}: ids use plain ASCII letters, write "${plain}"`;
  }
  return (
    `found "${c}" at column ${pos}, which is not part of the formula language; ` +
    'use lowercase ids, numbers like 1.5, + - * / ( ) [ ] = | , @ and spaces'
  );
}

export function describeToken(tok: Token): string {
  return tok.kind === 'end' ? 'the end of the formula' : `"${tok.text}"`;
}
