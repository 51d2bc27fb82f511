/**
 * One uploaded file (the HTTP import route) through the same pipeline as `bimo import FILE`:
 * the bytes are written to a private temporary file under the upload's name and imported from
 * there, so ZIP archives (with the ZIP-bomb guard of zip.ts), workbooks, Sozialraumlisten and
 * large flat files that must stream behave exactly as on the command line. An upload is one
 * table: a ZIP archive must hold exactly one file, so that one upload becomes one report and,
 * once committed, one release.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { BimoError } from '../domain/index.ts';
import { emptyReport, importFile, type ImportOptions } from './import.ts';
import type { ImportReport } from './report.ts';
import { isZip } from './zip.ts';

/**
 * The name an uploaded file is known by: its last path segment as the browser sent it, without
 * control characters, at most 200 characters (it appears in sources, releases and reports).
 */
export function uploadName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  let name = clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
  // File systems allow 255 bytes per name; the temporary copy carries this one.
  while (Buffer.byteLength(name) > 200) name = name.slice(0, -1);
  return name;
}

/** Files in a ZIP archive (directories left out), read from its directory without inflating. */
function zipMemberCount(bytes: Uint8Array, name: string): number {
  let count = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('/')) count++;
        return false;
      },
    });
  } catch (err) {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${name} is not a readable ZIP archive: ${(err as Error).message}`,
      'Download the file again; it may be truncated.',
      { file: name },
    );
  }
  return count;
}

function oneFileOnly(bytes: Uint8Array, name: string, members: number): ImportReport {
  const report = emptyReport(name, createHash('sha256').update(bytes).digest('hex'));
  report.format = 'zip';
  report.issues.push({
    severity: 'error',
    line: 1,
    column: 1,
    code: 'BIMO_E_FORMAT_UNKNOWN',
    message: `the ZIP archive holds ${members} files; an upload is one table`,
    fix: 'Upload the files one by one (or a ZIP with exactly one table, as the GENESIS API delivers it).',
  });
  return report;
}

/** The error as the uploader should read it: naming the file as uploaded, not its temporary copy. */
function renamed(err: BimoError, path: string, name: string): BimoError {
  const rename = (v: unknown) => (typeof v === 'string' ? v.replaceAll(path, name) : v);
  const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, rename(v)]));
  return new BimoError(err.code, err.message.replaceAll(path, name), err.fix, details);
}

/**
 * Imports (or, with `dryRun`, checks) the uploaded `bytes` as the file `fileName`. Throws a
 * BimoError for a ZIP archive that is refused as a possible ZIP bomb or cannot be read at all.
 */
export async function importUpload(
  bytes: Uint8Array,
  fileName: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const name = uploadName(fileName);
  const dir = await mkdtemp(join(tmpdir(), 'bimo-upload-'));
  try {
    const path = join(dir, name);
    await writeFile(path, bytes, { mode: 0o600 });
    const members = isZip(bytes) ? zipMemberCount(bytes, name) : 1;
    if (members > 1) return oneFileOnly(bytes, name, members);
    let reports: ImportReport[];
    try {
      reports = await importFile(path, opts);
    } catch (err) {
      throw err instanceof BimoError ? renamed(err, path, name) : err;
    }
    const [report, ...more] = reports;
    if (!report || more.length > 0) throw new Error(`expected one report for the upload ${name}`);
    // The temporary path is nobody's business: the report names the file as uploaded.
    report.file = name + report.file.slice(path.length);
    for (const i of report.issues) i.message = i.message.replaceAll(path, name);
    return report;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
