/** Legacy Excel .xls (BIFF5/7/8 in an OLE2 compound file): detection and cell reader. */
export { isOle2 } from './cfb.ts';
export { readXls } from './read.ts';
