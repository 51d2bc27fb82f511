/**
 * Releases end to end on the command line: a revised official table imported as a draft does not
 * change what readers see; `releases diff` names the changed cell; approve and publish make it
 * visible and recompute the indicators; a published release cannot change again.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { LEAVERS_2023 } from '../helpers/sample.ts';

const io = captureIo;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const x = io();
  const code = await main(args, x);
  return { code, out: x.stdout.join('\n'), err: x.stderr.join('\n') };
}

describe('release workflow', () => {
  it('draft → diff → approve → publish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bimo-rel-'));
    const dd = ['--data-dir', dir];
    expect((await run(['init', ...dd])).code).toBe(0);
    expect((await run(['import', LEAVERS_2023, ...dd])).code).toBe(0);
    expect((await run(['compute', ...dd])).code).toBe(0);

    // The statistical office revises Düren: 150 → 155 leavers without a first qualification.
    const revised = join(dir, '21111-02-06-4-revidiert.csv');
    const text = readFileSync(LEAVERS_2023, 'latin1').replace(
      '2023;05358;      Düren, Kreis;2560;1275;150;',
      '2023;05358;      Düren, Kreis;2560;1275;155;',
    );
    writeFileSync(revised, text, 'latin1');
    expect((await run(['import', revised, '--draft', ...dd])).code).toBe(0);

    const list = await run(['releases', ...dd]);
    expect(list.out).toMatch(/^1\tpublished/m);
    expect(list.out).toMatch(/^2\tdraft/m);

    const ohne = async (): Promise<number | null> => {
      const r = await run(['observations', '--region', '05358', '--format', 'json', ...dd]);
      const items = JSON.parse(r.out) as { dims: Record<string, string>; value: number | null }[];
      return (
        items.find((i) => i.dims.abschluss === 'ohne_esa' && i.dims.geschlecht === 'insgesamt')
          ?.value ?? null
      );
    };
    expect(await ohne()).toBe(150);

    const diff = await run(['releases', 'diff', '1', '2', '--format', 'json', ...dd]);
    expect(JSON.parse(diff.out)).toEqual([
      {
        variable: 'schulabgaenge_ab',
        region: '05358',
        period: '2023',
        dims: 'abschluss=ohne_esa;geschlecht=insgesamt',
        change: 'changed',
        before: { value: 150, flag: null },
        after: { value: 155, flag: null },
      },
    ]);

    const early = await run(['releases', 'publish', '2', ...dd]);
    expect(early.code).toBe(73);
    expect(early.err).toContain('Approve it first');

    expect((await run(['releases', 'approve', '2', ...dd])).code).toBe(0);
    expect((await run(['releases', 'publish', '2', ...dd])).code).toBe(0);
    expect(await ohne()).toBe(155);
    const audit = await run(['audit', '--action', 'release.publish', '--format', 'json', ...dd]);
    expect(JSON.parse(audit.out)).toMatchObject([
      { action: 'release.publish', target: 'release 2', details: { from: 'approved' } },
    ]);

    const again = await run(['releases', 'approve', '2', ...dd]);
    expect(again.code).toBe(73);
    expect(again.err).toContain('can no longer change');
  });
});
