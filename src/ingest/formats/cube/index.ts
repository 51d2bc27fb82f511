/** GENESIS cube file (Datenquader): detection and parsing (see parse.ts). */
export { detect, parse } from './parse.ts';
