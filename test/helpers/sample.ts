/** Paths of the real official sample files in ../shared/data (never copied into the repo). */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_DIR = resolve(
  process.env.BIMO_SAMPLE_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url)),
);

export const CLASSIC = (name: string): string =>
  join(SAMPLE_DIR, 'genesis-samples/regionalstatistik-classic', name);

export const LEAVERS_2023 = CLASSIC('21111-02-06-4.csv');
export const POPULATION_2023 = CLASSIC('12411-02-03-4_nrw-auswahl_2023.csv');
