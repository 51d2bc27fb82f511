/**
 * The `bimo` command line in-process with captured output: init, import (dry run, real,
 * repeated), compute, observations as JSON, and errors that name the cause and the fix.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { LEAVERS_2023, POPULATION_2023, SAMPLE_DIR } from '../helpers/sample.ts';

const io = captureIo;

describe('bimo CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bimo-cli-'));
  const dd = ['--data-dir', dir];

  it('runs init → import → compute → observations', async () => {
    const a = io();
    expect(await main(['init', ...dd], a)).toBe(0);
    expect(a.stderr.join('\n')).toMatch(/init: \d+ regions, 5 region groups/);

    const dry = io();
    expect(await main(['import', LEAVERS_2023, '--dry-run', ...dd], dry)).toBe(0);
    expect(dry.stdout.join('\n')).toContain('dry-run');

    const imp = io();
    expect(await main(['import', LEAVERS_2023, POPULATION_2023, ...dd], imp)).toBe(0);
    expect(imp.stdout.join('\n')).toMatch(/imported .*21111-02-06-4/);
    // The new published release is computed at once (no separate `compute` needed).
    expect(imp.stderr.join('\n')).toMatch(/compute: release \d+ done/);
    expect(imp.stdout.join('\n')).toContain("'-' ×");

    const again = io();
    expect(await main(['import', LEAVERS_2023, ...dd], again)).toBe(0);
    expect(again.stdout.join('\n')).toContain('unchanged');

    expect(await main(['compute', ...dd], io())).toBe(0);

    const obs = io();
    expect(
      await main(
        [
          'observations',
          '--region',
          '05358',
          '--table',
          '21111-02-06-4',
          '--format',
          'json',
          ...dd,
        ],
        obs,
      ),
    ).toBe(0);
    const items = JSON.parse(obs.stdout.join('')) as {
      variable: string;
      label: string;
      period: string;
      dims: Record<string, string>;
      value: number | null;
      flag: string | null;
      source: { table: string; origin: string };
    }[];
    expect(items).toHaveLength(14);
    const total = items.find(
      (i) => i.dims.abschluss === 'insgesamt' && i.dims.geschlecht === 'insgesamt',
    );
    expect(total).toMatchObject({
      variable: 'schulabgaenge_ab',
      period: '2023',
      value: 2560,
      flag: null,
    });
    expect(total?.label).toContain('Absolvierende');
    expect(total?.source).toMatchObject({ table: '21111-02-06-4', origin: '108:31' });
    const dash = items.find((i) => i.dims.abschluss === 'fhr' && i.dims.geschlecht === 'insgesamt');
    expect(dash).toMatchObject({ value: null, flag: '-' });
  });

  it('explains errors with a fix and a stable exit code', async () => {
    const missing = io();
    expect(await main(['import', '/nonexistent/file.csv', ...dd], missing)).toBe(66);
    expect(missing.stderr.join('\n')).toMatch(/BIMO_E_FILE_NOT_FOUND.*\n\s+fix:/);

    const region = io();
    expect(
      await main(['observations', '--region', '99999', '--format', 'json', ...dd], region),
    ).toBe(65);
    expect(region.stderr.join('\n')).toContain('BIMO_E_REGION_UNKNOWN');

    const unknown = io();
    expect(await main(['frobnicate', ...dd], unknown)).toBe(64);

    const notTable = io();
    expect(await main(['import', join(SAMPLE_DIR, 'README.md'), ...dd], notTable)).toBe(65);
    expect(notTable.stdout.join('\n')).toContain('BIMO_E_FORMAT_UNKNOWN');

    const help = io();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.stdout.join('')).toContain('demo [--port N]');
  });
});
