/** bimo template for own data (tidy CSV): detection and parsing (see parse.ts). */
export { detect, parse } from './parse.ts';
