/** GENESIS flat file CSV (ffcsv v4 and v5): detection and parsing (see parse.ts). */
export { detect, parse, tableCodeFromName } from './parse.ts';
