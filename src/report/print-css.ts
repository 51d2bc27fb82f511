/**
 * The print stylesheet for reports (print.css beside this file), read once at import time so the
 * report HTML can inline it: a report is one self-contained file, printed the same everywhere.
 */
import { readFileSync } from 'node:fs';

export const PRINT_CSS = readFileSync(new URL('print.css', import.meta.url), 'utf8');
