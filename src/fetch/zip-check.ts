/**
 * A structural check of a downloaded ZIP before it is kept: the end-of-archive record and the
 * central directory must be complete and point at local headers inside the file. A download
 * cut short fails here with a clear message instead of later, deep inside the importer. Contents
 * (CRC, sizes, bombs) are checked by the importer when it unpacks.
 */
import { open } from 'node:fs/promises';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** End record (22 bytes) plus the longest possible comment. */
const TAIL = 22 + 0xffff;
/** The central directory of a one-table archive is tiny; refuse to read absurd sizes. */
const MAX_CENTRAL_DIRECTORY = 64 * 1024 ** 2;

export class ZipCheckError extends Error {}

/** Names of the members, or a ZipCheckError saying what is broken. */
export async function checkZip(path: string): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const read = async (pos: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, pos);
      if (bytesRead !== length) throw new ZipCheckError('the archive ends early');
      return buf;
    };
    if (size < 22) throw new ZipCheckError(`the archive has only ${size} bytes`);
    const tailStart = Math.max(0, size - TAIL);
    const tail = await read(tailStart, size - tailStart);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      throw new ZipCheckError('the end-of-archive record is missing (the download was cut off)');
    }
    const eocdPos = tailStart + at;
    let entries = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    let cdEnd = eocdPos;
    if (cdOffset === 0xffffffff || cdSize === 0xffffffff || entries === 0xffff) {
      // ZIP64: the real values are in the ZIP64 end record, found through its locator.
      if (eocdPos < 20) throw new ZipCheckError('the ZIP64 locator is missing');
      const loc = await read(eocdPos - 20, 20);
      if (loc.readUInt32LE(0) !== ZIP64_LOCATOR) {
        throw new ZipCheckError('the ZIP64 locator is missing');
      }
      const recPos = Number(loc.readBigUInt64LE(8));
      if (recPos + 56 > eocdPos) throw new ZipCheckError('the ZIP64 end record is out of range');
      const rec = await read(recPos, 56);
      if (rec.readUInt32LE(0) !== ZIP64_EOCD) {
        throw new ZipCheckError('the ZIP64 end record is damaged');
      }
      entries = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
      cdEnd = recPos;
    }
    if (entries === 0) throw new ZipCheckError('the archive is empty');
    if (cdOffset + cdSize > cdEnd || cdSize > MAX_CENTRAL_DIRECTORY) {
      throw new ZipCheckError('the central directory is out of range (the file is incomplete)');
    }
    const cd = await read(cdOffset, cdSize);
    const names: string[] = [];
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) {
        throw new ZipCheckError('the central directory is damaged');
      }
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // ZIP64 members keep their offset in the extra field; the local header check is skipped.
      if (localOffset !== 0xffffffff) {
        if (localOffset + 30 > cdOffset) {
          throw new ZipCheckError(`member ${name} lies outside the archive`);
        }
        const local = await read(localOffset, 4);
        if (local.readUInt32LE(0) !== LOCAL) {
          throw new ZipCheckError(`member ${name} has no local header`);
        }
      }
      names.push(name);
      p += 46 + nameLen + extraLen + commentLen;
    }
    return names;
  } finally {
    await fh.close();
  }
}
