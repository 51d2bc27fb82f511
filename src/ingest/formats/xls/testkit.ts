/**
 * Test support only: writes small BIFF8 workbook streams and OLE2 compound files byte by byte, so
 * the tests can build exactly the structures a real writer rarely produces (extra DIFAT sectors,
 * mini streams, version 4 sectors, strings split over CONTINUE records) and damage them on purpose.
 */

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;

export const u16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
export const u32 = (n: number): number[] => [
  n & 0xff,
  (n >>> 8) & 0xff,
  (n >>> 16) & 0xff,
  n >>> 24,
];
export function f64(n: number): number[] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, n, true);
  return [...new Uint8Array(dv.buffer)];
}

/** One BIFF record: type, length, data. */
export function rec(type: number, data: number[] | Uint8Array): number[] {
  return [...u16(type), ...u16(data.length), ...data];
}

/** Characters as BIFF8 writes them: compressed (one byte) or UTF-16LE. */
export function chars(s: string, wide: boolean): number[] {
  return wide ? [...s].flatMap((c) => u16(c.charCodeAt(0))) : [...s].map((c) => c.charCodeAt(0));
}

/** XLUnicodeString: 16-bit length (8-bit for sheet names), flags, characters. */
export function xlString(s: string, opts: { wide?: boolean; cch8?: boolean } = {}): number[] {
  const wide = opts.wide ?? [...s].some((c) => c.charCodeAt(0) > 0xff);
  return [...(opts.cch8 ? [s.length] : u16(s.length)), wide ? 1 : 0, ...chars(s, wide)];
}

const BOF = (dt: number) =>
  rec(0x0809, [...u16(0x0600), ...u16(dt), ...u16(0x0dbb), ...u16(0x07cc), ...u32(0), ...u32(0)]);
export const EOF = rec(0x000a, []);

export const number = (row: number, col: number, v: number) =>
  rec(0x0203, [...u16(row), ...u16(col), ...u16(15), ...f64(v)]);
export const rk = (row: number, col: number, raw: number) =>
  rec(0x027e, [...u16(row), ...u16(col), ...u16(15), ...u32(raw)]);
export const labelSst = (row: number, col: number, index: number) =>
  rec(0x00fd, [...u16(row), ...u16(col), ...u16(15), ...u32(index)]);
export const label = (row: number, col: number, s: string) =>
  rec(0x0204, [...u16(row), ...u16(col), ...u16(15), ...xlString(s)]);

/** FORMULA with a cached result: a number, or (as bytes 0–7) a string/bool/error marker. */
export function formula(row: number, col: number, result: number | number[]): number[] {
  const value = typeof result === 'number' ? f64(result) : result;
  // Result, flags, chn, then a formula of one token (ptgInt 1) so the record is well-formed.
  return rec(0x0006, [
    ...u16(row),
    ...u16(col),
    ...u16(15),
    ...value,
    ...u16(0),
    ...u32(0),
    ...u16(3),
    0x1e,
    ...u16(1),
  ]);
}

export interface SheetSpec {
  name: string;
  records: number[][];
  /** BOUNDSHEET type: 0 worksheet, 2 chart. */
  kind?: number;
}

/** A BIFF8 workbook stream: globals (with the given extra records) and the sheets. */
export function biff8(sheets: SheetSpec[], globals: number[][] = []): Uint8Array {
  const head = [...BOF(0x0005), ...rec(0x0042, u16(1200)), ...globals.flat()];
  const boundsheet = (s: SheetSpec, offset: number) =>
    rec(0x0085, [...u32(offset), 0, s.kind ?? 0, ...xlString(s.name, { cch8: true })]);
  const bodies = sheets.map((s) => [
    ...BOF(s.kind === 2 ? 0x0020 : 0x0010),
    ...s.records.flat(),
    ...EOF,
  ]);
  let offset = head.length + sheets.reduce((n, s) => n + boundsheet(s, 0).length, 0) + EOF.length;
  const out = [...head];
  sheets.forEach((s, i) => {
    out.push(...boundsheet(s, offset));
    offset += (bodies[i] as number[]).length;
  });
  out.push(...EOF);
  for (const b of bodies) for (const x of b) out.push(x);
  return Uint8Array.from(out);
}

export interface CfbOptions {
  version?: 3 | 4;
  /** At least this many FAT sectors (more than 109 forces extra DIFAT sectors). */
  minFatSectors?: number;
}

/** An OLE2 compound file holding the given streams directly below the root. */
export function compoundFile(
  streams: { name: string; data: Uint8Array }[],
  opts: CfbOptions = {},
): Uint8Array {
  const version = opts.version ?? 3;
  const ss = version === 4 ? 4096 : 512;
  const per = ss / 4;
  const small = streams.filter((s) => s.data.length < 4096);
  const big = streams.filter((s) => !small.includes(s));
  // Mini stream: 64-byte mini sectors, each small stream a chain of them.
  const miniStart = new Map<string, number>();
  const miniFat: number[] = [];
  const miniData: number[] = [];
  for (const s of small) {
    const n = Math.ceil(s.data.length / 64);
    miniStart.set(s.name, n > 0 ? miniFat.length : ENDOFCHAIN);
    for (let i = 0; i < n; i++) miniFat.push(i === n - 1 ? ENDOFCHAIN : miniFat.length + 1);
    miniData.push(...s.data, ...new Array<number>(n * 64 - s.data.length).fill(0));
  }
  const secs = (bytes: number) => Math.ceil(bytes / ss);
  const entries = 1 + streams.length;
  const parts = [
    { id: 'dir', n: secs(entries * 128) },
    { id: 'minifat', n: secs(miniFat.length * 4) },
    { id: 'ministream', n: secs(miniData.length) },
    ...big.map((s) => ({ id: s.name, n: secs(s.data.length) })),
  ];
  const dataSectors = parts.reduce((a, p) => a + p.n, 0);
  let nFat = Math.max(1, opts.minFatSectors ?? 0);
  let nDifat = 0;
  for (;;) {
    nDifat = Math.max(0, Math.ceil((nFat - 109) / (per - 1)));
    if (nFat * per >= dataSectors + nFat + nDifat) break;
    nFat++;
  }
  const total = nFat + nDifat + dataSectors;
  const fat = new Array<number>(nFat * per).fill(FREESECT);
  for (let i = 0; i < nFat; i++) fat[i] = FATSECT;
  for (let i = 0; i < nDifat; i++) fat[nFat + i] = DIFSECT;
  const start = new Map<string, number>();
  let next = nFat + nDifat;
  for (const p of parts) {
    start.set(p.id, p.n > 0 ? next : ENDOFCHAIN);
    for (let i = 0; i < p.n; i++, next++) fat[next] = i === p.n - 1 ? ENDOFCHAIN : next + 1;
  }
  const file = new Uint8Array((total + 1) * ss);
  const put = (at: number, bytes: number[] | Uint8Array) => file.set(bytes, at);
  const sectorAt = (n: number) => (n + 1) * ss;
  // Header.
  put(0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  put(0x18, [
    ...u16(0x3e),
    ...u16(version),
    ...u16(0xfffe),
    ...u16(version === 4 ? 12 : 9),
    ...u16(6),
  ]);
  put(0x28, u32(version === 4 ? (parts[0]?.n ?? 0) : 0));
  put(0x2c, [...u32(nFat), ...u32(start.get('dir') as number), ...u32(0), ...u32(4096)]);
  put(0x3c, [...u32(start.get('minifat') as number), ...u32(parts[1]?.n ?? 0)]);
  put(0x44, [...u32(nDifat > 0 ? nFat : ENDOFCHAIN), ...u32(nDifat)]);
  for (let i = 0; i < 109; i++) put(0x4c + i * 4, u32(i < nFat ? i : FREESECT));
  // Extra DIFAT sectors: per - 1 FAT sector numbers, then the next DIFAT sector.
  for (let d = 0; d < nDifat; d++) {
    const words: number[] = [];
    for (let k = 0; k < per - 1; k++) {
      const fatIndex = 109 + d * (per - 1) + k;
      words.push(fatIndex < nFat ? fatIndex : FREESECT);
    }
    words.push(d === nDifat - 1 ? ENDOFCHAIN : nFat + d + 1);
    put(sectorAt(nFat + d), words.flatMap(u32));
  }
  for (let i = 0; i < nFat; i++) put(sectorAt(i), fat.slice(i * per, (i + 1) * per).flatMap(u32));
  // Directory: the root, then each stream as the right sibling of the one before.
  const entry = (
    name: string,
    type: number,
    child: number,
    right: number,
    first: number,
    size: number,
  ) => {
    const e = new Array<number>(128).fill(0);
    const n = chars(name, true);
    e.splice(0, n.length, ...n);
    e.splice(0x40, 2, ...u16(n.length + 2));
    e[0x42] = type;
    e[0x43] = 1;
    e.splice(0x44, 12, ...u32(FREESECT), ...u32(right), ...u32(child));
    e.splice(0x74, 8, ...u32(first), ...u32(size));
    return e;
  };
  const dir = [
    entry(
      'Root Entry',
      5,
      streams.length > 0 ? 1 : FREESECT,
      FREESECT,
      start.get('ministream') as number,
      miniData.length,
    ),
  ];
  streams.forEach((s, i) => {
    const first = small.includes(s)
      ? (miniStart.get(s.name) as number)
      : (start.get(s.name) as number);
    dir.push(
      entry(s.name, 2, FREESECT, i + 1 < streams.length ? i + 2 : FREESECT, first, s.data.length),
    );
  });
  // Unused entries in the last directory sector: empty, with no links.
  while (dir.length % (ss / 128) !== 0) dir.push(entry('', 0, FREESECT, FREESECT, 0, 0));
  put(sectorAt(start.get('dir') as number), dir.flat());
  if (miniFat.length > 0) put(sectorAt(start.get('minifat') as number), miniFat.flatMap(u32));
  if (miniData.length > 0) put(sectorAt(start.get('ministream') as number), miniData);
  for (const s of big) put(sectorAt(start.get(s.name) as number), s.data);
  return file;
}

/**
 * A compound file with one "Workbook" stream; `minSize` pads the stream with zeros (Excel pads
 * to 4096 bytes, which keeps the workbook out of the mini stream).
 */
export function xlsFile(
  stream: Uint8Array,
  opts: CfbOptions & { minSize?: number } = {},
): Uint8Array {
  const data = new Uint8Array(Math.max(stream.length, opts.minSize ?? 0));
  data.set(stream);
  return compoundFile([{ name: 'Workbook', data }], opts);
}
