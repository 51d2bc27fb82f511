/**
 * Legacy Excel workbooks (.xls, Excel 5.0–2003): the BIFF workbook stream inside an OLE2
 * compound file. Our own reader (ADR 0004: the npm parser has unfixed advisories), bounds-checked
 * throughout and fuzzed; it reads cell values only.
 */
import { BimoError } from '../../../domain/index.ts';
import type { Workbook } from '../workbook/index.ts';
import { ENTRY_STREAM, openCompoundFile } from './cfb.ts';
import { readBiff } from './biff.ts';

/**
 * Reads the cell values of every worksheet. Throws a BimoError (BIMO_E_PARSE) naming the cause
 * for damaged, encrypted, pre-Excel-5 or non-Excel compound files.
 */
export function readXls(bytes: Uint8Array, fileName: string): Workbook {
  const cfb = openCompoundFile(bytes, fileName);
  const streams = cfb.rootChildren.filter((e) => e.type === ENTRY_STREAM);
  const byName = (name: string) => streams.find((e) => e.name.toLowerCase() === name.toLowerCase());
  const stream = byName('Workbook') ?? byName('Book');
  if (!stream) {
    if (byName('EncryptedPackage')) {
      throw new BimoError(
        'BIMO_E_PARSE',
        `${fileName} is an encrypted (password-protected) Excel workbook`,
        'Open it in Excel or LibreOffice with the password, remove the protection and save it again.',
        { file: fileName, format: 'xls' },
      );
    }
    const names = streams.map((e) => `"${e.name}"`).join(', ') || 'none';
    throw new BimoError(
      'BIMO_E_PARSE',
      `${fileName} is an OLE2 file without an Excel workbook stream (streams: ${names.slice(0, 200)}); it may be a Word or Outlook file`,
      'Import Excel workbooks (.xls, .xlsx) or CSV files.',
      { file: fileName, format: 'xls' },
    );
  }
  return readBiff(cfb.read(stream), fileName);
}
