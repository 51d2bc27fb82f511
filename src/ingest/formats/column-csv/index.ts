/** Column-named CSVs described by a recipe (`csv:` block): detection by header line, parsing. */
export { detect, parse } from './parse.ts';
