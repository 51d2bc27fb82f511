/** bimo template for own data (tidy CSV): detection, parsing, and the row reader for streaming. */
export { csvError, csvOptions, detect, parse, readComments, rowReader } from './parse.ts';
