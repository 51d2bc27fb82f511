/** Excel .xlsx (Office Open XML): detection and cell reader. */
export { isXlsx } from './archive.ts';
export { readXlsx } from './read.ts';
