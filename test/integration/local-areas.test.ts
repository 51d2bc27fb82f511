/**
 * Own data below the Gemeinde: a Kommune defines its Sozialräume in a Sozialraumliste, then
 * imports data for them with the ordinary template; the documented example files, through the
 * command line as a user runs them. Broken lists and unknown keys are refused with line and
 * column; the list survives a rebuild of the official registry. Also `# Summierbar:` and
 * `--harmonise` on own data for the dissolved Kreise of the 2009 Aachen reform.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { importBytes, loadRecipes } from '../../src/ingest/index.ts';
import { buildRegionData, RegionRegistry } from '../../src/regions/index.ts';
import { openStore } from '../../src/store/index.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { SAMPLE_DIR } from '../helpers/sample.ts';

const doc = (name: string): string =>
  new URL(`../../docs/templates/${name}`, import.meta.url).pathname;
const LIST = doc('sozialraeume-beispiel.csv');
const DATA = doc('sozialraum-daten-beispiel.csv');

interface Item {
  variable: string;
  region: string;
  period: string;
  value: number | null;
  flag: string | null;
  source: { origin: string; table: string | null };
}

describe('Sozialräume (own units below the Gemeinde)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bimo-sozialraum-'));
  const dd = ['--data-dir', dir];

  it('refuses data for an undefined Sozialraum, naming line, column and the fix', async () => {
    expect(await main(['init', ...dd], captureIo())).toBe(0);
    const out = captureIo();
    expect(await main(['import', DATA, ...dd], out)).toBe(65);
    const text = out.stdout.join('\n');
    expect(text).toContain('rejected');
    expect(text).toContain(
      'sozialraum-daten-beispiel.csv:9:1 BIMO_E_REGION_UNKNOWN: the Sozialraum 05358008-01 (Innenstadt) is not defined',
    );
    expect(text).toContain('Import the Sozialraumliste that defines it first');
    const rel = captureIo();
    await main(['releases', '--format', 'json', ...dd], rel);
    expect(JSON.parse(rel.stdout.join(''))).toEqual([]);
  });

  it('imports the example list, then the example data; values exactly as in the file', async () => {
    const out = captureIo();
    expect(await main(['import', LIST, DATA, ...dd], out)).toBe(0);
    const text = out.stdout.join('\n');
    expect(text).toContain('Sozialräume: 4 new, 0 changed, 0 unchanged');
    expect(text).toMatch(/sozialraum-daten-beispiel.csv: imported .*\n.*8 accepted/);

    const obs = captureIo();
    expect(
      await main(['observations', '--region', '05358008-03', '--format', 'json', ...dd], obs),
    ).toBe(0);
    const items = JSON.parse(obs.stdout.join('')) as Item[];
    // File lines 11 and 15: Süd-Düren 224 examined; Sprachförderbedarf secret (`.`).
    expect(items.map((i) => [i.variable.split('__')[1], i.value, i.flag, i.source.origin])).toEqual(
      [
        ['seu_sprachfoerderbedarf', null, '.', '15:89'],
        ['seu_untersucht', 224, null, '11:69'],
      ],
    );

    const again = captureIo();
    expect(await main(['import', LIST, ...dd], again)).toBe(0);
    expect(again.stdout.join('\n')).toMatch(
      /unchanged \(sozialraumliste[^\n]*\n {2}Sozialräume: 0 new, 0 changed, 4 unchanged/,
    );
  });

  it('keeps the Sozialräume when the official registry is rebuilt, and marks the counts additive', async () => {
    expect(await main(['init', ...dd], captureIo())).toBe(0);
    const store = await openStore({ dataDir: dir });
    try {
      const registry = new RegionRegistry(await store.loadRegions());
      expect(registry.children('05358008').map((r) => [r.code, r.level, r.name])).toEqual([
        ['05358008-01', 'sozialraum', 'Innenstadt'],
        ['05358008-02', 'sozialraum', 'Nord-Düren'],
        ['05358008-03', 'sozialraum', 'Süd-Düren'],
        ['05358008-04', 'sozialraum', 'Birkesdorf'],
      ]);
      // Official tables look regions up by name; a Sozialraum name must never match there.
      expect(registry.get('05358008-01')?.name).toBe('Innenstadt');
      expect(registry.findByName('Innenstadt')).toBeUndefined();
      const vars = (await store.listVariables()).filter((v) =>
        v.id.startsWith('g_seu_sozialraeume_beispiel'),
      );
      expect(vars.map((v) => v.additive)).toEqual([true, true]);
    } finally {
      await store.close();
    }
  });
});

describe('Sozialraumliste and own data: refusals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bimo-sozialraum-bad-'));
  const recipes = loadRecipes();

  async function setup() {
    const store = await openStore({ dataDir: dir });
    if ((await store.loadRegions()).regions.length === 0) {
      await store.replaceRegions(await buildRegionData(SAMPLE_DIR));
    }
    const regions = new RegionRegistry(await store.loadRegions());
    return { store, regions };
  }

  it('refuses a broken list whole, each finding with line and column', async () => {
    const { store, regions } = await setup();
    try {
      const text = [
        '# bimo-Sozialraumliste, Version 1',
        'Sozialraumschlüssel;Sozialraum;Gemeindeschlüssel;Gültig ab;Gültig bis',
        '05358008-01;Innenstadt;05358008;;',
        '0535800-2;Nord;;;',
        '05358008-03;Süd;05358004;;',
        '05358099-01;Nirgendwo;;;',
        '05358008-01;Innenstadt doppelt;;;',
        '05358008-05;;;;',
        '05358008-06;Ost;;31.12.2024;01.01.2020',
        '05358008-07;West;;2024;',
      ].join('\n');
      const r = await importBytes(new TextEncoder().encode(text), 'liste.csv', {
        store,
        regions,
        recipes,
      });
      expect(r.status).toBe('rejected');
      expect(r.format).toBe('sozialraumliste');
      expect(r.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
        '4:1 "0535800-2" is not a Sozialraum key',
        '5:17 the key 05358008-03 belongs to Gemeinde 05358008, but the column Gemeindeschlüssel says 05358004',
        '7:1 the key 05358008-01 occurs twice (first in line 3)',
        '8:13 the Sozialraum 05358008-05 has no name',
        '9:29 the Sozialraum 05358008-06 ends before it begins',
        '10:19 "2024" is not a date',
        '6:1 05358099-01: 05358099 is not a Gemeinde in the region registry',
      ]);
      expect(r.rows).toEqual({ total: 8, accepted: 1, skipped: 0, rejected: 7 });
      expect(await store.listLocalAreas()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses own data with a key outside the registry instead of skipping it', async () => {
    const { store, regions } = await setup();
    try {
      const text = 'Regionalschlüssel;Zeit;Merkmal;Wert\n05358008;2024;x;12\n05358999;2024;x;1\n';
      const r = await importBytes(new TextEncoder().encode(text), 'eigen.csv', {
        store,
        regions,
        recipes,
      });
      expect(r.status).toBe('rejected');
      expect(r.issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`)).toEqual([
        '3:1 BIMO_E_REGION_UNKNOWN the region key 05358999 is not in the region registry (further rows with this key are not listed)',
      ]);
      expect(await store.listReleases()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('own counts on the Gebietsstand of today (--harmonise)', () => {
  it('adds 05313 + 05354 (dissolved 2009) to the Städteregion 05334 only when declared additive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bimo-harmonise-'));
    const dd = ['--data-dir', dir];
    expect(await main(['init', ...dd], captureIo())).toBe(0);
    const file = (summable: string): string => {
      const path = join(dir, `kita-${summable}.csv`);
      writeFileSync(
        path,
        [
          `# Tabelle: kita-plaetze-${summable}`,
          `# Summierbar: ${summable}`,
          'Regionalschlüssel;Region;Zeit;Merkmal;Wert',
          '05313;Aachen, kreisfreie Stadt;2005;plaetze;4210',
          '05354;Aachen, Kreis;2005;plaetze;5620',
          '05334;Städteregion Aachen;2010;plaetze;10480',
        ].join('\n'),
      );
      return path;
    };
    expect(await main(['import', file('ja'), file('nein'), ...dd], captureIo())).toBe(0);
    const obs = captureIo();
    expect(
      await main(
        ['observations', '--region', '05334', '--harmonise', '--format', 'json', ...dd],
        obs,
      ),
    ).toBe(0);
    const items = (JSON.parse(obs.stdout.join('')) as Item[]).map((i) => [
      i.variable,
      i.period,
      i.value,
      i.source.table ?? i.source.origin,
    ]);
    // The file's 05334 values as they are; 2005 made up for the additive counts only.
    expect(items).toEqual([
      ['g_kita_plaetze_ja__plaetze', '2010', 10480, 'kita-plaetze-ja'],
      ['g_kita_plaetze_nein__plaetze', '2010', 10480, 'kita-plaetze-nein'],
      ['g_kita_plaetze_ja__plaetze', '2005', 4210 + 5620, 'crosswalk aachen-2009: 05313 + 05354'],
    ]);
    expect(obs.stderr.join('\n')).toContain('not an additive count');
  });
});
