/**
 * OLE2 compound file (Compound File Binary, [MS-CFB]): the container of legacy .xls workbooks. A
 * small file system in sectors of 512 (version 3) or 4096 bytes (version 4): the FAT links each
 * stream's sectors into a chain, the DIFAT lists the FAT's own sectors (109 in the header, the
 * rest in extra DIFAT sectors), streams under 4096 bytes live in 64-byte mini sectors inside the
 * root entry's "mini stream" (with their own mini FAT), and the directory is a red-black tree of
 * 128-byte entries. Every sector number, chain and size is checked against the file before use,
 * so a damaged or hostile file gives a BimoError, never a loop or an allocation beyond its size.
 */
import { BimoError } from '../../../domain/index.ts';

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_SIZE = 512;
const MAXREGSECT = 0xfffffffa;
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const NOSTREAM = 0xffffffff;
const DIR_ENTRY_SIZE = 128;
const MINI_SECTOR_SIZE = 64;

export const ENTRY_STORAGE = 1;
export const ENTRY_STREAM = 2;
export const ENTRY_ROOT = 5;

/** True when the bytes start with the OLE2 signature (legacy .xls, .doc, .msg, …). */
export function isOle2(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

export interface DirEntry {
  index: number;
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

export interface CompoundFile {
  entries: DirEntry[];
  /** Streams and storages directly below the root. */
  rootChildren: DirEntry[];
  /** The bytes of a stream (from the regular or the mini stream, by its size). */
  read(entry: DirEntry): Uint8Array;
}

const DAMAGED_FIX =
  'The file is damaged or not an Excel 97–2003 workbook: download it again, or open it in Excel or LibreOffice and save it as .xlsx.';

function fail(file: string, what: string, fix = DAMAGED_FIX): BimoError {
  return new BimoError('BIMO_E_PARSE', `${file}: ${what}`, fix, { file, format: 'xls' });
}

/** Reads the container structure; streams are read on demand with `read`. */
export function openCompoundFile(bytes: Uint8Array, file: string): CompoundFile {
  if (!isOle2(bytes)) throw fail(file, 'not an OLE2 compound file (signature missing)');
  if (bytes.length < HEADER_SIZE) {
    throw fail(file, `the OLE2 header is cut (${bytes.length} of ${HEADER_SIZE} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);

  if (u16(0x1c) !== 0xfffe)
    throw fail(file, 'the OLE2 header has no little-endian byte order mark');
  const major = u16(0x1a);
  const shift = u16(0x1e);
  if ((major !== 3 && major !== 4) || (shift !== 9 && shift !== 12)) {
    throw fail(file, `unsupported OLE2 version ${major} with sector shift ${shift}`);
  }
  if (u16(0x20) !== 6) throw fail(file, `unsupported OLE2 mini sector shift ${u16(0x20)}`);
  const sectorSize = 1 << shift;
  // Sector n starts at (n + 1) * sectorSize; a last sector cut short by the writer is tolerated
  // as long as no stream needs the missing bytes.
  const sectorCount = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  const perSector = sectorSize / 4;

  const sectorAt = (n: number, what: string): Uint8Array => {
    if (n > MAXREGSECT || n >= sectorCount) {
      throw fail(file, `${what} points to sector ${n}, but the file has only ${sectorCount}`);
    }
    const start = (n + 1) * sectorSize;
    return bytes.subarray(start, Math.min(start + sectorSize, bytes.length));
  };
  const wordsOf = (sector: Uint8Array): DataView =>
    new DataView(sector.buffer, sector.byteOffset, sector.byteLength);

  // --- FAT sectors from the DIFAT (header part, then the chain of extra DIFAT sectors) ---
  const fatSectorCount = u32(0x2c);
  if (fatSectorCount > sectorCount) {
    throw fail(
      file,
      `the header declares ${fatSectorCount} FAT sectors in a file of ${sectorCount} sectors`,
    );
  }
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatSectorCount; i++) {
    fatSectors.push(u32(0x4c + i * 4));
  }
  let difat = u32(0x44);
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatSectorCount) {
    if (difat === ENDOFCHAIN || difat === FREESECT) {
      throw fail(
        file,
        `the DIFAT ends after ${fatSectors.length} of ${fatSectorCount} FAT sectors`,
      );
    }
    if (seenDifat.has(difat)) {
      throw fail(file, `the DIFAT sector chain loops at sector ${difat}`);
    }
    seenDifat.add(difat);
    const sector = sectorAt(difat, 'the DIFAT chain');
    if (sector.length < sectorSize) throw fail(file, `DIFAT sector ${difat} is cut off`);
    const dv = wordsOf(sector);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatSectorCount; i++) {
      fatSectors.push(dv.getUint32(i * 4, true));
    }
    difat = dv.getUint32((perSector - 1) * 4, true);
  }
  const fat = new Uint32Array(fatSectorCount * perSector).fill(FREESECT);
  fatSectors.forEach((s, i) => {
    const sector = sectorAt(s, `FAT sector ${i}`);
    const dv = wordsOf(sector);
    const words = Math.floor(sector.length / 4);
    for (let k = 0; k < words; k++) fat[i * perSector + k] = dv.getUint32(k * 4, true);
  });

  /** Sector numbers of a chain, refusing sectors outside the file and chains that loop. */
  const chainOf = (
    table: Uint32Array,
    start: number,
    limit: number,
    what: string,
    unit: string,
  ): number[] => {
    const out: number[] = [];
    const seen = new Uint8Array(limit);
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s === FREESECT && out.length === 0) break; // an empty stream may say "no sector"
      if (s >= limit || s >= table.length) {
        throw fail(
          file,
          `${what}: its ${unit} chain points to ${unit} ${s}, outside the file (${limit} ${unit}s)`,
        );
      }
      if (seen[s]) throw fail(file, `${what}: its ${unit} chain loops back to ${unit} ${s}`);
      seen[s] = 1;
      out.push(s);
      s = table[s] as number;
    }
    return out;
  };

  const readChain = (start: number, size: number | null, what: string): Uint8Array => {
    const chain = chainOf(fat, start, sectorCount, what, 'sector');
    const capacity = chain.length * sectorSize;
    const length = size ?? capacity;
    if (length > capacity) {
      throw fail(file, `${what} is ${length} bytes long but its sectors hold only ${capacity}`);
    }
    const out = new Uint8Array(length);
    for (let i = 0, at = 0; at < length; i++, at += sectorSize) {
      const part = sectorAt(chain[i] as number, what).subarray(
        0,
        Math.min(sectorSize, length - at),
      );
      if (part.length < Math.min(sectorSize, length - at)) {
        throw fail(file, `${what} is cut off: the file ends inside sector ${chain[i]}`);
      }
      out.set(part, at);
    }
    return out;
  };

  // --- directory ---
  const dirBytes = readChain(u32(0x30), null, 'the directory');
  const entryCount = Math.floor(dirBytes.length / DIR_ENTRY_SIZE);
  const dv = new DataView(dirBytes.buffer, dirBytes.byteOffset, dirBytes.byteLength);
  const entries: DirEntry[] = [];
  for (let i = 0; i < entryCount; i++) {
    const o = i * DIR_ENTRY_SIZE;
    const nameLen = Math.min(dv.getUint16(o + 0x40, true), 64);
    const nameChars = Math.max(0, Math.floor(nameLen / 2) - 1);
    let name = '';
    for (let k = 0; k < nameChars; k++) name += String.fromCharCode(dv.getUint16(o + k * 2, true));
    const high = major === 4 ? dv.getUint32(o + 0x7c, true) : 0;
    const type = dv.getUint8(o + 0x42);
    if (high !== 0 && type === ENTRY_STREAM) {
      throw fail(file, `directory entry "${name}" claims a size above 4 GB`);
    }
    entries.push({
      index: i,
      name,
      type,
      left: dv.getUint32(o + 0x44, true),
      right: dv.getUint32(o + 0x48, true),
      child: dv.getUint32(o + 0x4c, true),
      start: dv.getUint32(o + 0x74, true),
      size: dv.getUint32(o + 0x78, true),
    });
  }
  const root = entries[0];
  if (!root || root.type !== ENTRY_ROOT) throw fail(file, 'the OLE2 directory has no root entry');

  // Children of the root: the red-black tree below root.child, walked by left/right links.
  const rootChildren: DirEntry[] = [];
  const visited = new Uint8Array(entries.length);
  const stack = [root.child];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (i === NOSTREAM) continue;
    const e = entries[i];
    if (!e)
      throw fail(file, `the OLE2 directory links to entry ${i}, but it has ${entries.length}`);
    if (visited[i]) throw fail(file, `the OLE2 directory tree loops at entry ${i}`);
    visited[i] = 1;
    rootChildren.push(e);
    stack.push(e.left, e.right);
  }

  // --- mini stream and mini FAT, read only when a small stream is asked for ---
  const cutoff = u32(0x38);
  let mini: { fat: Uint32Array; data: Uint8Array } | null = null;
  const miniStream = (): { fat: Uint32Array; data: Uint8Array } => {
    if (mini) return mini;
    const fatBytes = readChain(u32(0x3c), null, 'the mini FAT');
    const miniFat = new Uint32Array(Math.floor(fatBytes.length / 4));
    const fv = new DataView(fatBytes.buffer, fatBytes.byteOffset, fatBytes.byteLength);
    for (let k = 0; k < miniFat.length; k++) miniFat[k] = fv.getUint32(k * 4, true);
    mini = { fat: miniFat, data: readChain(root.start, root.size, 'the mini stream') };
    return mini;
  };

  const read = (entry: DirEntry): Uint8Array => {
    const what = `stream "${entry.name}"`;
    if (entry.type !== ENTRY_STREAM) throw fail(file, `${what} is not a stream`);
    if (entry.size === 0) return new Uint8Array(0);
    if (entry.size >= cutoff) return readChain(entry.start, entry.size, what);
    const m = miniStream();
    const limit = Math.floor(m.data.length / MINI_SECTOR_SIZE);
    const chain = chainOf(m.fat, entry.start, limit, what, 'mini sector');
    if (entry.size > chain.length * MINI_SECTOR_SIZE) {
      throw fail(
        file,
        `${what} is ${entry.size} bytes long but its mini sectors hold only ${chain.length * MINI_SECTOR_SIZE}`,
      );
    }
    const out = new Uint8Array(entry.size);
    for (let i = 0, at = 0; at < entry.size; i++, at += MINI_SECTOR_SIZE) {
      const from = (chain[i] as number) * MINI_SECTOR_SIZE;
      out.set(m.data.subarray(from, from + Math.min(MINI_SECTOR_SIZE, entry.size - at)), at);
    }
    return out;
  };

  return { entries, rootChildren, read };
}
