/** Classic GENESIS table CSV: detection and parsing (see parse.ts). */
export { looksLikeClassic as detect, parseClassic as parse } from './parse.ts';
export type { ClassicTable, ClassicRow, ClassicColumn, ClassicCell } from './parse.ts';
