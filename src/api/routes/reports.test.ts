import { describe, expect, it } from 'vitest';
import { PdfPrinter } from './reports.ts';

/** A fake printer: records how many print at once, finishes when told. */
function fakePrint() {
  const state = { running: 0, most: 0, calls: 0, fail: false };
  const print = async (html: string): Promise<Uint8Array> => {
    state.calls++;
    state.running++;
    state.most = Math.max(state.most, state.running);
    await new Promise((r) => setTimeout(r, 5));
    state.running--;
    if (state.fail) throw new Error('no browser');
    return new TextEncoder().encode(html);
  };
  return { state, print };
}

describe('PdfPrinter', () => {
  it('prints at most `slots` at once and each page once, also when asked at the same time', async () => {
    const { state, print } = fakePrint();
    const printer = new PdfPrinter(print, 2, 16);
    const keys = ['a', 'b', 'c', 'a', 'd', 'b', 'e'];
    const out = await Promise.all(keys.map((k) => printer.pdf(k, `<p>${k}</p>`)));
    expect(out.map((b) => new TextDecoder().decode(b))).toEqual(keys.map((k) => `<p>${k}</p>`));
    expect(state.calls).toBe(5);
    expect(state.most).toBe(2);
  });

  it('keeps the last `keep` pages and forgets failures', async () => {
    const { state, print } = fakePrint();
    const printer = new PdfPrinter(print, 2, 2);
    for (const k of ['a', 'b', 'c']) await printer.pdf(k, k);
    await printer.pdf('c', 'c');
    expect(state.calls).toBe(3);
    await printer.pdf('a', 'a');
    expect(state.calls).toBe(4);
    state.fail = true;
    await expect(printer.pdf('x', 'x')).rejects.toThrow('no browser');
    state.fail = false;
    await printer.pdf('x', 'x');
    expect(state.calls).toBe(6);
  });
});
