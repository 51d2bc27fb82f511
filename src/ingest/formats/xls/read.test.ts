/**
 * The .xls reader on real INKAR exports (values checked by hand with xlrd 1.2.0, outside the
 * repo) and on workbooks written byte by byte (testkit.ts) to reach every record type, both
 * compound-file versions, the mini stream, extra DIFAT sectors and strings split over CONTINUE.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../../../test/helpers/sample.ts';
import { BimoError } from '../../../domain/index.ts';
import { decodeRk } from './records.ts';
import { isOle2, readXls } from './index.ts';
import {
  EOF,
  biff8,
  chars,
  formula,
  label,
  labelSst,
  number,
  rec,
  rk,
  u16,
  u32,
  xlString,
  xlsFile,
} from './testkit.ts';

const INKAR = (name: string) => readFileSync(join(SAMPLE_DIR, 'statistics/inkar', name));

const sst = (strings: string[]) =>
  rec(0x00fc, [
    ...u32(strings.length),
    ...u32(strings.length),
    ...strings.flatMap((s) => xlString(s)),
  ]);

const SAMPLE = biff8(
  [
    {
      name: 'Daten',
      records: [
        labelSst(0, 0, 0),
        labelSst(1, 0, 1),
        number(1, 1, 12.5),
        rk(2, 1, (1234 << 2) | 3),
        label(3, 0, 'Zäh €'),
        formula(3, 1, 0.1 + 0.2),
        formula(4, 1, [0, 0, 0, 0, 0, 0, 0xff, 0xff]),
        rec(0x0207, xlString('text result')),
        formula(5, 1, [1, 0, 1, 0, 0, 0, 0xff, 0xff]),
        formula(6, 1, [2, 0, 0x07, 0, 0, 0, 0xff, 0xff]),
        formula(7, 1, [3, 0, 0, 0, 0, 0, 0xff, 0xff]),
        rec(0x0205, [...u16(8), ...u16(0), ...u16(15), 1, 0]),
        rec(0x0205, [...u16(8), ...u16(1), ...u16(15), 0x2a, 1]),
        rec(0x0201, [...u16(9), ...u16(0), ...u16(15)]),
        rec(0x00bd, [
          ...u16(9),
          ...u16(2),
          ...u16(15),
          ...u32((7 << 2) | 2),
          ...u16(15),
          ...u32(0x3ff80000),
          ...u16(3),
        ]),
      ],
    },
    { name: 'Chart', kind: 2, records: [] },
    { name: 'Zweite', records: [number(0, 0, -0)] },
  ],
  [sst(['Kennziffer', 'Düren'])],
);

const SAMPLE_ROWS = [
  ['Kennziffer'],
  ['Düren', 12.5],
  [null, 12.34],
  ['Zäh €', 0.30000000000000004],
  [null, 'text result'],
  [null, true],
  [null, { error: '#DIV/0!' }],
  [null, ''],
  [true, { error: '#N/A' }],
  [null, null, 7, 1.5],
];

function refusal(fn: () => unknown): BimoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BimoError);
    expect((err as BimoError).code).toBe('BIMO_E_PARSE');
    return err as BimoError;
  }
  throw new Error('expected a BimoError');
}

describe('readXls on real INKAR exports', () => {
  it('reads the three sheets of B_BeschaeftigtemitakadAbschluss.xls', () => {
    const bytes = INKAR('B_BeschaeftigtemitakadAbschluss.xls');
    expect(isOle2(bytes)).toBe(true);
    const wb = readXls(bytes, 'B_BeschaeftigtemitakadAbschluss.xls');
    expect(wb.sheets.map((s) => s.name)).toEqual(['Daten', 'Metadaten', 'Quellangabe']);
    const daten = wb.sheets[0]?.rows ?? [];
    expect(daten).toHaveLength(404);
    expect(daten[1]).toEqual([null, null, null, '2012', '2013', '2014', '2015']);
    // Row 86 (xlrd: ['05358', 'Düren', 'Landkreis', 10.356904157198235, …]).
    expect(daten[85]).toEqual([
      '05358',
      'Düren',
      'Landkreis',
      10.356904157198235,
      10.789639426861912,
      11.25536122454221,
      11.46719891541764,
    ]);
    expect(wb.sheets[2]?.rows[0]?.[0]).toMatch(/^Quelle \(Zitierhinweis\).*\r\n© 2018 Bundesamt/s);
  });

  it('reads the large A_Arbeitslosigkeit.xls (shared strings over 16 CONTINUE records)', () => {
    const wb = readXls(INKAR('A_Arbeitslosigkeit.xls'), 'A_Arbeitslosigkeit.xls');
    const daten = wb.sheets[0]?.rows ?? [];
    expect(daten).toHaveLength(4540);
    expect(daten[690]?.slice(0, 5)).toEqual([
      '05358008',
      'Düren, Stadt',
      'Gemeinde',
      75.5234585447274,
      72.21830928240324,
    ]);
    expect(daten[4539]?.slice(0, 4)).toEqual([
      '16077950',
      'Gößnitz, Stadt',
      'Gemeindeverband',
      140.62853267013338,
    ]);
  });
});

describe('readXls on written workbooks', () => {
  it.each([
    ['version 3, workbook in the mini stream', {}],
    ['version 3, regular sectors', { minSize: 4096 }],
    ['version 4 (4096-byte sectors)', { version: 4 as const, minSize: 5000 }],
    ['version 3 with extra DIFAT sectors', { minFatSectors: 300 }],
    ['version 4 with an extra DIFAT sector', { version: 4 as const, minFatSectors: 110 }],
  ])('reads every cell record: %s', (_, opts) => {
    const wb = readXls(xlsFile(SAMPLE, opts), 'sample.xls');
    expect(wb.sheets.map((s) => s.name)).toEqual(['Daten', 'Zweite']);
    expect(wb.sheets[0]?.rows).toEqual(SAMPLE_ROWS);
    expect(Object.is(wb.sheets[1]?.rows[0]?.[0], -0)).toBe(true);
  });

  it('decodes RK numbers (integer, double, each optionally ÷ 100)', () => {
    expect(decodeRk((1234 << 2) | 2)).toBe(1234);
    expect(decodeRk(((-5 << 2) | 2) >>> 0)).toBe(-5);
    expect(decodeRk((1234 << 2) | 3)).toBe(12.34);
    expect(decodeRk(0x3ff80000)).toBe(1.5);
    expect(decodeRk(0x3ff80001)).toBe(0.015);
  });

  it('joins shared strings split over CONTINUE records, switching compressed/UTF-16', () => {
    // "abc" compressed in the SST record, "dëf€" as UTF-16 in the CONTINUE (new flag byte 1);
    // then a rich string whose runs and phonetic block span the next boundary.
    const s1 = [...u16(7), 0, ...chars('abc', false)];
    const cont1 = [1, ...chars('dëf€', true)];
    const s2head = [...u16(2), 0x0c, ...u16(1), ...u32(6), ...chars('xy', false), 1, 2];
    const cont2 = [3, 4, 0, 0, 0, 0, 0, 0, ...u16(3), 0, ...chars('end', false)];
    const globals = [
      rec(0x00fc, [...u32(3), ...u32(3), ...s1]),
      rec(0x003c, [...cont1, ...s2head]),
      rec(0x003c, cont2),
    ];
    const stream = biff8(
      [{ name: 'S', records: [labelSst(0, 0, 0), labelSst(0, 1, 1), labelSst(0, 2, 2)] }],
      globals,
    );
    expect(readXls(xlsFile(stream), 's.xls').sheets[0]?.rows).toEqual([['abcdëf€', 'xy', 'end']]);
  });

  it('reads an Excel 5/95 (BIFF5) "Book" stream in code page 1252 (incl. € „ “)', () => {
    const bof = rec(0x0809, [...u16(0x0500), ...u16(0x0005), ...u16(0), ...u16(0)]);
    const text = (s: number[]) => [...u16(s.length), ...s];
    const sheetBody = [
      ...rec(0x0809, [...u16(0x0500), ...u16(0x0010), ...u16(0), ...u16(0)]),
      ...rec(0x0204, [
        ...u16(0),
        ...u16(0),
        ...u16(15),
        ...text([0x44, 0xfc, 0x72, 0x65, 0x6e, 0x20, 0x84, 0x80, 0x93]),
      ]),
      ...rec(0x027e, [...u16(0), ...u16(1), ...u16(15), ...u32((42 << 2) | 2)]),
      ...EOF,
    ];
    const name = [0x4d, 0xe4, 0x72, 0x7a]; // "März"
    const head = [...bof, ...rec(0x0042, u16(1252))];
    const boundsheetSize = 4 + 4 + 2 + 1 + name.length;
    const offset = head.length + boundsheetSize + EOF.length;
    const stream = [
      ...head,
      ...rec(0x0085, [...u32(offset), 0, 0, name.length, ...name]),
      ...EOF,
      ...sheetBody,
    ];
    const file = xlsFile(Uint8Array.from(stream));
    // Rename the stream "Workbook" → "Book" (Excel 5 name) in the directory entry.
    const renamed = Buffer.from(file);
    const at = renamed.indexOf(Buffer.from('Workbook', 'utf16le'));
    renamed.fill(0, at, at + 16);
    renamed.write('Book', at, 'utf16le');
    renamed.writeUInt16LE(10, at + 0x40);
    const wb = readXls(renamed, 'old.xls');
    expect(wb.sheets).toEqual([{ name: 'März', rows: [['Düren „€“', 42]] }]);
  });
});

describe('readXls refuses what it cannot read, with a reason', () => {
  const file = () => Buffer.from(xlsFile(SAMPLE, { minSize: 4096 }));
  // Layout of that file (testkit): sector 0 FAT, 1 directory, 2… the workbook stream.
  const dirAt = 2 * 512;
  const entry1 = dirAt + 128;

  it('is not OLE2', () => {
    expect(isOle2(new TextEncoder().encode('Kennziffer;Raumeinheit'))).toBe(false);
    expect(refusal(() => readXls(new Uint8Array(100), 'x.xls')).message).toMatch(/signature/);
  });

  it('is encrypted (FILEPASS)', () => {
    const stream = biff8([{ name: 'S', records: [] }], [rec(0x002f, [1, 0, 1, 0])]);
    expect(refusal(() => readXls(xlsFile(stream), 'x.xls')).message).toMatch(/encrypted/);
  });

  it('is an Excel 4.0 worksheet (BIFF4)', () => {
    const stream = Uint8Array.from([...rec(0x0409, [0, 0, 0x10, 0]), ...EOF]);
    expect(refusal(() => readXls(xlsFile(stream), 'x.xls')).message).toMatch(/Excel 2\.x–4\.0/);
  });

  it('is a compound file without a workbook (a Word file)', () => {
    const f = Buffer.from(xlsFile(SAMPLE));
    f.write('WordDocument', f.indexOf(Buffer.from('Workbook', 'utf16le')), 'utf16le');
    f.writeUInt16LE(26, f.indexOf(Buffer.from('WordDocument', 'utf16le')) + 0x40);
    expect(refusal(() => readXls(f, 'x.doc')).message).toMatch(/without an Excel workbook stream/);
  });

  it('has a sector chain that loops', () => {
    const f = file();
    f.writeUInt32LE(3, 512 + 3 * 4); // FAT: sector 3 → 3
    expect(refusal(() => readXls(f, 'x.xls')).message).toMatch(/chain loops back to sector 3/);
  });

  it('points outside the file', () => {
    const f = file();
    f.writeUInt32LE(99999, entry1 + 0x74);
    expect(refusal(() => readXls(f, 'x.xls')).message).toMatch(/points to sector 99999/);
  });

  it('claims a stream far larger than its sectors (no allocation of it)', () => {
    const f = file();
    f.writeUInt32LE(0xfffffff0, entry1 + 0x78);
    expect(refusal(() => readXls(f, 'x.xls')).message).toMatch(/sectors hold only/);
  });

  it('has a directory tree that loops', () => {
    const f = file();
    f.writeUInt32LE(1, entry1 + 0x48);
    expect(refusal(() => readXls(f, 'x.xls')).message).toMatch(/directory tree loops/);
  });

  it('has a DIFAT chain that loops', () => {
    const f = Buffer.from(xlsFile(SAMPLE, { minFatSectors: 300 }));
    // 300 FAT sectors (0–299), DIFAT sectors 300 and 301: make 300 point to itself.
    f.writeUInt32LE(300, (300 + 1) * 512 + 127 * 4);
    expect(refusal(() => readXls(f, 'x.xls')).message).toMatch(/DIFAT/);
  });

  it('is cut off', () => {
    expect(refusal(() => readXls(file().subarray(0, 3000), 'x.xls')).message).toMatch(
      /outside the file|cut off/,
    );
    expect(refusal(() => readXls(file().subarray(0, 300), 'x.xls')).message).toMatch(
      /header is cut/,
    );
  });

  it('has a record longer than the stream', () => {
    const stream = biff8([{ name: 'S', records: [rec(0x0203, new Array<number>(14).fill(0))] }]);
    const cut = stream.subarray(0, stream.length - EOF.length - 4);
    expect(refusal(() => readXls(xlsFile(cut), 'x.xls')).message).toMatch(
      /claims 14 bytes|without an EOF/,
    );
  });

  it('refers to a shared string that does not exist', () => {
    const stream = biff8([{ name: 'S', records: [labelSst(0, 0, 5)] }], [sst(['a'])]);
    expect(refusal(() => readXls(xlsFile(stream), 'x.xls')).message).toMatch(
      /shared string 5 does not exist/,
    );
  });

  it('has sheets whose substreams overlap', () => {
    const stream = Buffer.from(
      biff8([
        { name: 'A', records: [] },
        { name: 'B', records: [] },
      ]),
    );
    const first = stream.indexOf(Buffer.from([0x85, 0x00]));
    const second = stream.indexOf(Buffer.from([0x85, 0x00]), first + 4);
    stream.writeUInt32LE(stream.readUInt32LE(first + 4), second + 4);
    expect(refusal(() => readXls(xlsFile(stream), 'x.xls')).message).toMatch(
      /inside the data before it/,
    );
  });

  it('has more than 5 million cells', () => {
    const records = Array.from({ length: 20_000 }, (_, r) => number(r, 255, r));
    const stream = biff8([{ name: 'Big', records }]);
    expect(refusal(() => readXls(xlsFile(stream), 'x.xls')).message).toMatch(
      /more than 5,000,000 cells/,
    );
  });
});
