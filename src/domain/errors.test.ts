/** Docs that cannot drift: every error code is documented in docs/errors.md with its status. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BimoError, ERROR_CODES, errorEnvelope } from './errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(ERROR_CODES))(
    '%s is documented with its HTTP status and exit code',
    (code, m) => {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
      expect(row, `docs/errors.md lacks ${code}`).toBeDefined();
      const cells = (row ?? '').split('|').map((c) => c.trim());
      expect(cells.slice(2, 4)).toEqual([String(m.http), String(m.exit)]);
    },
  );

  it('builds the JSON envelope with the fix', () => {
    const err = new BimoError('BIMO_E_BAD_REQUEST', 'level missing', 'add level=kreis', {
      field: 'level',
    });
    expect(errorEnvelope(err)).toEqual({
      error: {
        code: 'BIMO_E_BAD_REQUEST',
        message: 'level missing',
        fix: 'add level=kreis',
        details: { field: 'level' },
      },
    });
    expect(err.httpStatus).toBe(400);
  });
});
