/**
 * `bimo check` on every sample file: real findings from different checks, with subjects and
 * numbers worked out by hand from the source files in ../shared/data (lines quoted below), the
 * Mindestsicherungsquote agreeing with recipients / population, and the CLI's text and JSON output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import {
  checkCommand,
  formatFindings,
  summaryLine,
  TEXT_LIMIT_PER_CHECK,
} from '../../src/cli/commands/check.ts';
import { loadCatalogFull } from '../../src/indicators/index.ts';
import { runChecks, type Finding } from '../../src/indicators/checks/index.ts';
import { RegionRegistry } from '../../src/regions/registry.ts';
import { captureIo } from '../helpers/cli-io.ts';
import { buildFullDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
let findings: Finding[];
beforeAll(async () => {
  deps = await buildFullDemoStore();
  const regions = new RegionRegistry(await deps.store.loadRegions());
  findings = await runChecks({ store: deps.store, regions, catalog: loadCatalogFull() });
}, 120_000);
afterAll(async () => {
  await deps.store.close();
});

const find = (check: string, subject: string): Finding | undefined =>
  findings.find((f) => f.check === check && f.subject === subject);

describe('parts-vs-total on the sample data', () => {
  it('Thüringen 2021: the Kreise miss Eisenach (16056), which the 2023 registry no longer has', () => {
    // 82411-01-03-4.csv:
    //   2021;16;  Thüringen;46102855;21803
    //   2021;16056;      Eisenach, kreisfreie Stadt;887590;21190
    // The 23 Kreis rows of Thüringen add up to 46102855 exactly; without Eisenach (merged into
    // the Wartburgkreis on 1.7.2021, skipped at import) the 22 Kreise give 45215265.
    const f = find('parts-vs-total', 'verfuegbares_einkommen · 16 Thüringen · 2021');
    expect(f?.severity).toBe('warning');
    expect(f?.data).toMatchObject({ total: 46102855, sum_of_parts: 45215265, difference: -887590 });
    expect(f?.explanation_de).toContain('anderer Gebietsstand');
  });

  it('Kreis Kleve 2024: two Gemeinden keep SGB II secret, and their Insgesamt leaves it out', () => {
    // 22811-05i.csv (2024), columns SGB II; Insgesamt; SGB II; HLU; GruSi; …:
    //   2024;05154;    Kleve, Kreis;17414;26404;17414;455;4890;2425;2460;3645
    //   2024;05154040;      Kranenburg;.;200;.;5;140;40;100;55
    //   2024;05154048;      Rheurdt;.;125;.;5;50;25;25;70
    // Insgesamt of the 16 Gemeinden: 837+2763+2930+3045+799+1029+757+2117+5187+200+2082+125+942
    // +638+516+1846 = 25813; SGB II of the 14 published Gemeinden = 16823 = 17414 − 591.
    const f = find(
      'parts-vs-total',
      'mindestsicherung_empfaenger · 05154 Kleve, Kreis · 2024 · leistungsart_mindestsicherung=insgesamt',
    );
    expect(f?.data).toMatchObject({ total: 26404, sum_of_parts: 25813, difference: -591 });
    expect(f?.explanation_de).toContain('05154040 Kranenburg, 05154048 Rheurdt');
    expect(f?.explanation_de).toContain('= 591) erklären die Differenz');
  });

  it('NRW 2024: the Land counts recipients living outside NRW, no Kreis does', () => {
    // 22811-05i.csv: 2024;05;Nordrhein-Westfalen;1557269;1997154;…
    //   and 2024;05999998;      Wohnort außerhalb von NRW;-;2485;-;205;2265;550;1715;15
    // (footnote: "Landeswert inklusive der Empfänger/-innen … deren Hauptwohnsitz aber außerhalb
    // Nordrhein-Westfalens liegt"). 53 Kreise: 1994699 = 1997154 − 2455 (2485 less 30 of rounding).
    const f = find(
      'parts-vs-total',
      'mindestsicherung_empfaenger · 05 Nordrhein-Westfalen · 2024 · leistungsart_mindestsicherung=insgesamt',
    );
    expect(f?.data).toMatchObject({ sum_of_parts: 1994699, difference: -2455 });
  });

  it('keeps quiet where 5er-rounded components explain the difference (Kreis Düren)', () => {
    // 2024;05358;    Düren, Kreis;21302;27632;…: the 15 Gemeinden give 27642 (+10); SGB XII and
    // AsylbLG columns are multiples of 5 (5er-Rundung, not in the recipe), so ±2 each.
    expect(
      findings.filter((f) => f.check === 'parts-vs-total' && f.data.region === '05358'),
    ).toEqual([]);
  });

  it('reports the Zensus 2022 (CKM) differences as info', () => {
    const ckm = findings.filter(
      (f) => f.check === 'parts-vs-total' && f.data.table === '1000A-2022',
    );
    expect(ckm.length).toBeGreaterThan(0);
    expect(ckm.every((f) => f.severity === 'info' && f.explanation_de.includes('Cell-Key'))).toBe(
      true,
    );
  });
});

describe('published-rate on the sample data', () => {
  it('agrees for every Kreis, Aachen and (jointly) the Gemeinden of 29 Kreise', () => {
    // Düren: 22811-01i.csv "05358;    Düren, Kreis;9,9"; 22811-05i Insgesamt 27632;
    // 12411-09i "31.12.2024;05358;    Düren, Kreis;279285" → 100 × 27632 / 279285 = 9,894 ≈ 9,9.
    expect(findings.filter((f) => f.check === 'published-rate' && f.severity !== 'info')).toEqual(
      [],
    );
    const summary = find('published-rate', 'mindestsicherungsquote · 2024');
    expect(summary?.data).toMatchObject({
      checked: 60, // Land, 5 Regierungsbezirke, 53 Kreise, Gemeinde Aachen (05334002)
      stimmt: 60,
      stimmt_kreis: 53,
      stimmt_gemeinde: 1,
      // The sample has no Gemeinde population (12411-09i stops at the Kreise): the populations
      // implied by the Gemeinden's rates and recipients match the Kreis population in all 29
      // Kreise whose Gemeinden all have a rate (346 of the 374 Gemeinden with a 2024 rate; Kleve
      // and the Hochsauerlandkreis each have two Gemeinden with a secret rate).
      indirekt_stimmt_kreise: 29,
      indirekt_stimmt_gemeinden: 346,
      nicht_pruefbar_gemeinde: 369,
    });
  });
});

describe('indicator checks on the sample data', () => {
  it('D7 Unna jumps 5.1 points when 21111-02-06-4-B brings the new KMK terms', () => {
    // 21111-02-06-4.csv:   2023;05978;      Unna, Kreis;3965;…;1535;850 → 1535/3965 = 38,7 %
    // 21111-02-06-4-B.csv: 2024;05978;Unna, Kreis;4030;…;1355;740 (column "mit Allgemeiner und
    // fachgebundener Hochschulreife") → 1355/4030 = 33,6 %.
    const f = find(
      'jump',
      'D7 Absolvierende mit Allgemeiner Hochschulreife · 05978 Unna, Kreis · Schuljahr 2022/23 → Schuljahr 2023/24',
    );
    expect(f?.data.from).toBeCloseTo(38.71, 2);
    expect(f?.data.to).toBeCloseTo(33.62, 2);
    expect(f?.explanation_de).toContain('2023: 21111-02-06-4; 2024: 21111-02-06-4-B');
  });

  it('B3 has no total for the Revier Kreise: the table blocks it with x', () => {
    // 21111-01-03-4.csv: 2023;05358;      Düren, Kreis;Insgesamt;x;28410;13965;4395;2400;400
    const f = find(
      'flags',
      'B3 Allgemeinbildende Schulen nach Schularten · 05358 Düren, Kreis · Schuljahr 2023/24',
    );
    expect(f?.severity).toBe('warning');
    expect(f?.data.flag).toBe('x');
  });

  it('A1b has no values: the sample has population for 2023 and 2024 only, it reads @-5', () => {
    const f = find('coverage', 'A1b Bevölkerungsentwicklung über fünf Jahre');
    expect(f?.message_de).toContain('bevoelkerung (auch @-5): Jahre 2023, 2024');
  });

  it('finds nothing outside 0–100 % and no error at all', () => {
    expect(findings.filter((f) => f.check === 'share-range')).toEqual([]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('every finding is complete', () => {
    for (const f of findings) {
      expect(f.subject && f.message_de && f.explanation_de && f.fix_de).toBeTruthy();
    }
    const checks = new Set(findings.map((f) => f.check));
    expect([...checks]).toEqual(
      expect.arrayContaining(['parts-vs-total', 'published-rate', 'jump', 'flags', 'coverage']),
    );
  });
});

describe('bimo check (CLI)', () => {
  it('prints findings grouped by check, capped, with a summary, and exits 0 without errors', async () => {
    const io = captureIo();
    expect(await checkCommand(deps.store, io, { format: 'text' })).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^parts-vs-total \(\d+\)\n {2}warning parts-vs-total /);
    expect(text).toContain(
      `… and ${countOf('parts-vs-total') - TEXT_LIMIT_PER_CHECK} more (use --format json)`,
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(summaryLine(findings));
    expect(summaryLine(findings)).toMatch(/^\d+ findings: 0 errors, \d+ warnings, \d+ infos$/);
  });

  it('prints all findings as JSON', async () => {
    const io = captureIo();
    expect(await checkCommand(deps.store, io, { format: 'json' })).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toHaveLength(findings.length);
  });

  it('puts checks with errors first, and errors first within a check', () => {
    const error: Finding = {
      check: 'share-range',
      severity: 'error',
      subject: 'D6 · 05358 Düren, Kreis · 2023',
      message_de: 'Anteil 104,0 %.',
      explanation_de: 'Nicht durch Rundung erklärbar.',
      fix_de: 'Formel prüfen.',
      data: {},
    };
    const warning: Finding = { ...error, check: 'jump', severity: 'warning' };
    const text = formatFindings([warning, error]);
    expect(text.split('\n')[0]).toBe('share-range (1)');
    expect(text.split('\n')[3]).toBe('jump (1)');
    expect(text).toContain(
      '  error share-range D6 · 05358 Düren, Kreis · 2023: Anteil 104,0 %. — Nicht durch Rundung erklärbar. — Formel prüfen.',
    );
    expect(text.endsWith('2 findings: 1 errors, 1 warnings, 0 infos')).toBe(true);
  });
});

function countOf(check: string): number {
  return findings.filter((f) => f.check === check).length;
}
