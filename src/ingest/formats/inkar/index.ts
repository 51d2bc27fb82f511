/** INKAR (BBSR) Excel exports: detection and parsing of a read workbook (see parse.ts). */
export { detect, parse } from './parse.ts';
