/** GENESIS flat file CSV (ffcsv v4 and v5): detection, parsing, and the row reader for streaming. */
export { CSV_OPTIONS, csvError, detect, parse, rowReader, tableCodeFromName } from './parse.ts';
