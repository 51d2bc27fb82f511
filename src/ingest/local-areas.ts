/**
 * Importing a Sozialraumliste: every listed unit must lie in a Gemeinde of the registry; the list
 * is written in one transaction or not at all, and the same list again changes nothing and says
 * so. Units not in the list stay as they are (a Kommune may send its list in parts).
 */
import * as areaList from './formats/local-areas/index.ts';
import type { ImportOptions } from './import.ts';
import { regionList, type ImportReport } from './report.ts';

export const detectAreaList = areaList.detect;

export async function importAreaList(
  text: string,
  fileName: string,
  report: ImportReport,
  opts: ImportOptions,
): Promise<ImportReport> {
  const parsed = areaList.parse(text, fileName);
  report.format = report.format === 'xlsx' ? 'xlsx: sozialraumliste' : 'sozialraumliste';
  report.tableCode = parsed.listName;
  report.issues.push(...parsed.issues);
  // The list writes units below these Gemeinden: who may import it is decided by them.
  const parents: string[] = [];
  for (const a of parsed.areas) {
    const gemeinde = opts.regions.resolveKey(a.parentCode);
    if (gemeinde?.level === 'gemeinde') parents.push(gemeinde.code);
    else {
      report.issues.push({
        severity: 'error',
        line: a.line,
        column: a.column,
        code: 'BIMO_E_REGION_UNKNOWN',
        message: `${a.code}: ${a.parentCode} is not a Gemeinde in the region registry`,
        fix: 'The first 8 digits of a Sozialraum key are the AGS of its Gemeinde (e.g. 05358008 Düren); check them against the Gemeindeverzeichnis.',
      });
    }
  }
  report.regions = regionList(parents);
  const rejected = new Set(report.issues.filter((i) => i.severity === 'error').map((i) => i.line))
    .size;
  report.rows = {
    total: parsed.rowCount,
    accepted: parsed.rowCount - rejected,
    skipped: 0,
    rejected,
  };
  if (report.issues.some((i) => i.severity === 'error')) return report;
  if (parsed.areas.length === 0) {
    report.issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: 'the Sozialraumliste lists no Sozialraum',
      fix: 'Add one row per Sozialraum below the header (see docs/templates/sozialraeume-beispiel.csv).',
    });
    return report;
  }

  const stored = new Map((await opts.store.listLocalAreas()).map((a) => [a.code, a]));
  const areas = { added: 0, changed: 0, unchanged: 0 };
  const toSave = parsed.areas
    .map((a) => ({
      code: a.code,
      name: a.name,
      parentCode: a.parentCode,
      validFrom: a.validFrom,
      validTo: a.validTo,
      listName: parsed.listName,
    }))
    .filter((a) => {
      const old = stored.get(a.code);
      const same =
        old?.name === a.name && old.validFrom === a.validFrom && old.validTo === a.validTo;
      areas[old === undefined ? 'added' : same ? 'unchanged' : 'changed']++;
      return !same;
    });
  report.areas = areas;
  if (toSave.length === 0) {
    report.status = 'unchanged';
    report.issues.push({
      severity: 'info',
      line: 1,
      column: 1,
      code: 'BIMO_I_UNCHANGED',
      message: `all ${areas.unchanged} Sozialräume are already defined exactly so`,
      fix: 'Nothing to do.',
    });
    return report;
  }
  if (opts.dryRun) {
    report.status = 'dry-run';
    return report;
  }
  await opts.store.saveLocalAreas(toSave, opts.user ?? 'cli');
  report.status = 'imported';
  return report;
}
