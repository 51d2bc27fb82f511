/** bimo template for own data (tidy CSV): detection, parsing, and the row reader for streaming. */
export { csvOptions, detect, parse, readComments, rowReader } from './parse.ts';
