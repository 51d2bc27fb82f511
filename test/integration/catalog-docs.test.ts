/**
 * The generated indicator docs and `bimo indicators`: docs/indikatoren/ must be exactly what
 * scripts/gen-catalog-docs.ts makes of catalog/ (so the docs cannot drift from the YAML), every
 * indicator needs a definition and a source before it gets a page, and the CLI lists the whole
 * catalog with the YAML fields, the variables read and the Fragestellungen.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCS_DIR, writeCatalogDocs } from '../../scripts/gen-catalog-docs.ts';
import {
  documentationProblems,
  indicatorsCommand,
  type CatalogJson,
} from '../../src/cli/commands/catalog.ts';
import { BimoError } from '../../src/domain/index.ts';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { captureIo } from '../helpers/cli-io.ts';

const catalog = loadCatalogFull();
const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bimo-catalog-docs-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('docs/indikatoren', () => {
  it('is exactly what the generator makes of catalog/ (run npm run docs:catalog otherwise)', async () => {
    const tmp = tempDir();
    const written = await writeCatalogDocs(tmp, catalog);
    expect(written).toHaveLength(catalog.indicators.length + 1);
    const committed = readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md'));
    const names = [...new Set([...written, ...committed])].sort();
    const differing = names.filter((name) => {
      const read = (dir: string): string | null => {
        try {
          return readFileSync(join(dir, name), 'utf8');
        } catch {
          return null;
        }
      };
      return read(tmp) !== read(DOCS_DIR);
    });
    expect(
      differing,
      `docs/indikatoren is out of date with catalog/ (${differing.join(', ')}): run npm run docs:catalog`,
    ).toEqual([]);
  });

  it('has a page per indicator with the fields a reader needs', () => {
    const d6 = readFileSync(join(DOCS_DIR, 'D6.md'), 'utf8');
    expect(d6).toContain('# D6 – Abgehende ohne Ersten Schulabschluss');
    expect(d6).toContain('100 * schulabgaenge_ab[abschluss=ohne_esa] / schulabgaenge_ab');
    expect(d6).toContain('`21111-02-06-4`');
    expect(d6).toContain('niedriger ist besser');
    expect(d6).toContain('[FS01](README.md#fs01)');
    expect(readFileSync(join(DOCS_DIR, 'D6-geschlecht.md'), 'utf8')).toContain('](D6.md)');
    const planned = catalog.indicators.find((i) => i.status === 'planned');
    if (!planned) throw new Error('the catalog has no planned indicator to check');
    expect(readFileSync(join(DOCS_DIR, `${planned.id}.md`), 'utf8')).toContain(
      'Noch keine Daten – gespeist aus:',
    );
    const index = readFileSync(join(DOCS_DIR, 'README.md'), 'utf8');
    expect(index).toContain(`Katalogversion ${catalog.version}`);
    expect(index).toContain('generated from catalog/ — do not edit');
    for (const ind of catalog.indicators) expect(index).toContain(`](${ind.id}.md)`);
  });
});

describe('documentation check', () => {
  it('passes on the real catalog', () => {
    expect(documentationProblems(catalog.indicators)).toEqual([]);
  });

  it('names each indicator without a definition or a source', async () => {
    const doctored = catalog.indicators.map((i) => {
      if (i.id === 'D6') return { ...i, definition_de: 'Anteil ohne ESA' };
      if (i.id === 'D7') return { ...i, definition_de: '  ' };
      if (i.id === 'A1') return { ...i, sources: [] };
      return i;
    });
    const problems = documentationProblems(doctored);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/indicator D6: definition_de is only 15 characters/);
    expect(problems.join('\n')).toMatch(/indicator D7: definition_de is empty/);
    expect(problems.join('\n')).toMatch(/indicator A1: sources is empty/);
    // The generator refuses to write pages for such a catalog.
    const tmp = tempDir();
    await expect(writeCatalogDocs(tmp, { ...catalog, indicators: doctored })).rejects.toThrow(
      /indicator D6/,
    );
  });
});

describe('bimo indicators', () => {
  it('prints the whole catalog as JSON with the YAML fields, variables and questions', async () => {
    const io = captureIo();
    expect(await indicatorsCommand(io, { format: 'json' })).toBe(0);
    const json = JSON.parse(io.stdout.join('')) as CatalogJson;
    expect(json.version).toBe(catalog.version);
    expect(json.areas.map((a) => a.id)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    expect(json.handlungsfelder.length).toBe(catalog.handlungsfelder.length);
    expect(json.questions.length).toBe(catalog.questions.length);
    expect(json.indicators.map((i) => i.id)).toEqual(catalog.indicators.map((i) => i.id));
    for (const ind of json.indicators) {
      expect(ind.title_de).toBeTruthy();
      expect(['active', 'planned']).toContain(ind.status);
    }
    const d6 = json.indicators.find((i) => i.id === 'D6');
    expect(d6).toMatchObject({
      kind: 'formula',
      formula: '100 * schulabgaenge_ab[abschluss=ohne_esa] / schulabgaenge_ab',
      unit: '%',
      polarity: 'lower_is_better',
      sources: ['21111-02-06-4', '21111-02-06-4-B'],
      variables: ['schulabgaenge_ab'],
      questions: ['FS01'],
    });
    const gap = json.indicators.find((i) => i.id === 'D6-geschlecht');
    expect(gap).toMatchObject({ kind: 'gap', of: 'D6', dimension: 'geschlecht' });
    expect(gap?.formula).toBeUndefined();
    expect(gap?.questions).toEqual(['FS01', 'FS14']);
  });

  it('lists one line per indicator grouped by area, filtered by --area and --status', async () => {
    const io = captureIo();
    expect(await indicatorsCommand(io, { format: 'text', area: 'D', status: 'active' })).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('D  Allgemeinbildende Schulen');
    expect(text).toContain('D6  active  %  Abgehende ohne Ersten Schulabschluss');
    expect(text).not.toContain('Rahmenbedingungen');
    expect(text).not.toContain('planned');
    const planned = captureIo();
    await indicatorsCommand(planned, { format: 'json', status: 'planned' });
    const json = JSON.parse(planned.stdout.join('')) as CatalogJson;
    expect(json.indicators.length).toBe(
      catalog.indicators.filter((i) => i.status === 'planned').length,
    );
  });

  it('rejects an unknown --area or --status, naming the accepted values', async () => {
    for (const [opts, field, accepted] of [
      [{ area: 'Z' }, 'area', 'A, B, C, D, E, F, G, H, I'],
      [{ status: 'retired' }, 'status', 'active, planned'],
    ] as const) {
      const err = await indicatorsCommand(captureIo(), { format: 'text', ...opts }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BimoError);
      expect((err as BimoError).code).toBe('BIMO_E_BAD_REQUEST');
      expect((err as BimoError).message).toContain(`--${field}`);
      expect((err as BimoError).message).toContain(accepted);
      expect((err as BimoError).details.field).toBe(field);
    }
  });
});
