/**
 * The shape of the Germany-scale data: which tables the generator writes, with their real table
 * and Merkmal codes where bimo has a recipe (so the catalog's indicators compute), and generic
 * tables (no recipe, imported under `g_<table>__<variable>`) to reach 60 variables in all.
 * Gemeinde level where the real statistic is published for Gemeinden, Kreis level otherwise.
 */

export interface Item {
  code: string;
  label: string;
  /** Share of the parent total before noise (leaf items only). */
  share: number;
}

export interface Merkmal {
  code: string;
  label: string;
  /** The total's attribute code: empty in most tables, `INSGESAMT` in 21311. */
  totalCode: string;
  items: Item[];
}

export interface ValueVariable {
  code: string;
  label: string;
  unit: string;
  /** Value per inhabitant of the region (before noise), for the whole table cell. */
  perCapita: number;
  /** Decimal places in the file (German decimal comma). */
  decimals: number;
}

export interface TableSpec {
  /** Table code in the file name (`<code>_<job>_de_flat.csv`), which selects the recipe. */
  code: string;
  statCode: string;
  statLabel: string;
  timeCode: 'STAG' | 'JAHR' | 'SEMEST';
  timeLabel: string;
  /** The file's time column for a reporting year. */
  time: (year: number) => string;
  level: 'gemeinde' | 'kreis';
  merkmale: Merkmal[];
  values: ValueVariable[];
  /** value_q column, as 12211-Z-11 has it (`e`, sometimes `()`). */
  quality: boolean;
  /** Share of cells replaced by a special sign (`-`, `.`, `x`). */
  specialRate: number;
  /** Only this share of regions has any value (e.g. Kreise with a Hochschule); others `-`. */
  coverage: number;
  /** Zero cells are written as `-` (as the real files do where `-` means nothing). */
  zeroAsDash: boolean;
}

const GES: Merkmal = {
  code: 'GES',
  label: 'Geschlecht',
  totalCode: '',
  items: [
    { code: 'GESM', label: 'männlich', share: 0.49 },
    { code: 'GESW', label: 'weiblich', share: 0.51 },
  ],
};

const stichtag = (mmdd: string) => (y: number) => `${y}-${mmdd}`;
const jahr = (y: number): string => String(y);

/** Tables with a recipe in src/ingest/recipes (real codes; the catalog's indicators use them). */
const RECIPE_TABLES: TableSpec[] = [
  {
    code: '12411-01-01-4',
    statCode: '12411',
    statLabel: 'Fortschreibung des Bevölkerungsstandes',
    timeCode: 'STAG',
    timeLabel: 'Stichtag',
    time: stichtag('12-31'),
    level: 'gemeinde',
    merkmale: [GES],
    values: [
      { code: 'BEVSTD', label: 'Bevölkerungsstand', unit: 'Anzahl', perCapita: 1, decimals: 0 },
    ],
    quality: false,
    specialRate: 0,
    coverage: 1,
    zeroAsDash: false,
  },
  {
    code: '73111-01-01-4',
    statCode: '73111',
    statLabel: 'Lohn- und Einkommensteuerstatistik',
    timeCode: 'JAHR',
    timeLabel: 'Jahr',
    time: jahr,
    level: 'gemeinde',
    merkmale: [],
    values: [
      {
        code: 'LSNW01',
        label: 'Lohn- und Einkommensteuerpflichtige',
        unit: 'Anzahl',
        perCapita: 0.52,
        decimals: 0,
      },
      {
        code: 'EKF002',
        label: 'Gesamtbetrag der Einkünfte',
        unit: 'Tsd. EUR',
        perCapita: 21.5,
        decimals: 0,
      },
      {
        code: 'LSNW02',
        label: 'Lohn- und Einkommensteuer',
        unit: 'Tsd. EUR',
        perCapita: 4.1,
        decimals: 0,
      },
    ],
    quality: false,
    specialRate: 0,
    coverage: 1,
    zeroAsDash: false,
  },
  {
    code: '13111-01-03-4',
    statCode: '13111',
    statLabel: 'Statistik der sozialversicherungspflichtig Beschäftigten',
    timeCode: 'STAG',
    timeLabel: 'Stichtag',
    time: stichtag('06-30'),
    level: 'kreis',
    merkmale: [
      {
        code: 'NAT',
        label: 'Nationalität',
        totalCode: '',
        items: [
          { code: 'NATD', label: 'deutsch', share: 0.86 },
          { code: 'NATA', label: 'ausländisch', share: 0.14 },
        ],
      },
      GES,
    ],
    values: [
      {
        code: 'ERW032',
        label: 'Sozialversicherungspfl. Beschäftigte (Arbeitsort)',
        unit: 'Anzahl',
        perCapita: 0.41,
        decimals: 0,
      },
    ],
    quality: false,
    specialRate: 0,
    coverage: 1,
    zeroAsDash: false,
  },
  {
    code: '21311-01-01-4-B',
    statCode: '21311',
    statLabel: 'Statistik der Studierenden',
    timeCode: 'SEMEST',
    timeLabel: 'Semester',
    time: (y) => `${y}-10P6M`,
    level: 'kreis',
    merkmale: [
      {
        code: 'GESINS',
        label: 'Geschlecht',
        totalCode: 'INSGESAMT',
        items: [
          { code: 'GESM', label: 'männlich', share: 0.49 },
          { code: 'GESW', label: 'weiblich', share: 0.51 },
        ],
      },
      {
        code: 'NAT01',
        label: 'Nationalität (inkl. insgesamt)',
        totalCode: 'INSGESAMT',
        items: [
          { code: 'NATD', label: 'deutsch', share: 0.85 },
          { code: 'NATA', label: 'ausländisch', share: 0.15 },
        ],
      },
      {
        code: 'HS-FG2',
        label: 'Fächergruppe (mit Insgesamt)',
        totalCode: 'INSGESAMT',
        items: [
          { code: 'HS-FG01', label: 'Geisteswissenschaften', share: 0.11 },
          { code: 'HS-FG02', label: 'Sport', share: 0.01 },
          { code: 'HS-FG03', label: 'Rechts-, Wirtschafts- und Sozialwissenschaften', share: 0.36 },
          { code: 'HS-FG04', label: 'Mathematik/Naturwissenschaften', share: 0.11 },
          { code: 'HS-FG05', label: 'Humanmedizin/Gesundheitswissenschaften', share: 0.07 },
          {
            code: 'HS-FG07',
            label: 'Agrar-, Forst- und Ernährungswissensch., Veterinär',
            share: 0.02,
          },
          { code: 'HS-FG08', label: 'Ingenieurwissenschaften', share: 0.26 },
          { code: 'HS-FG09', label: 'Kunst, Kunstwissenschaft', share: 0.04 },
          { code: 'HS-FG10', label: 'Außerhalb der Studienbereichsgliederung', share: 0.02 },
        ],
      },
    ],
    values: [
      {
        code: 'HS-W02',
        label: 'Studierende (im Kreisgebiet)',
        unit: 'Anzahl',
        perCapita: 0.06,
        decimals: 0,
      },
    ],
    quality: false,
    specialRate: 0,
    coverage: 0.45,
    zeroAsDash: true,
  },
  {
    code: '12211-Z-11',
    statCode: '12211',
    statLabel: 'Grundprogramm des Mikrozensus',
    timeCode: 'JAHR',
    timeLabel: 'Jahr',
    time: jahr,
    level: 'kreis',
    merkmale: [
      {
        code: 'LBFORM01',
        label: 'Art der Lebensform',
        totalCode: 'LB-INS',
        items: [
          { code: 'PAAROK', label: 'Paargemeinschaften ohne Kinder', share: 0.33 },
          { code: 'FAMILIEN', label: 'Familien mit Kind(ern)', share: 0.22 },
          { code: 'ALLEINST', label: 'Alleinstehende', share: 0.45 },
        ],
      },
    ],
    values: [
      { code: 'LBFMZ01', label: 'Lebensformen', unit: '1000', perCapita: 0.00049, decimals: 0 },
    ],
    quality: true,
    specialRate: 0,
    coverage: 1,
    zeroAsDash: false,
  },
];

/**
 * Generic tables: statistics without a recipe, with made-up value codes (`GV…`) in the real
 * format; 4 Gemeinde tables of 5 variables, 11 Kreis tables of 3 variables with a 2-item breakdown.
 */
function genericTables(): TableSpec[] {
  const out: TableSpec[] = [];
  const gemeinde = [
    ['31111-01-02-5', '31111', 'Statistik der Baugenehmigungen'],
    ['33111-01-01-5', '33111', 'Flächenerhebung nach Art der tatsächlichen Nutzung'],
    ['46251-01-01-5', '46251', 'Kraftfahrzeugbestand'],
    ['71231-01-01-5', '71231', 'Realsteuervergleich'],
  ];
  gemeinde.forEach(([code, stat, label], t) => {
    out.push({
      code: code ?? '',
      statCode: stat ?? '',
      statLabel: label ?? '',
      timeCode: 'JAHR',
      timeLabel: 'Jahr',
      time: jahr,
      level: 'gemeinde',
      merkmale: [],
      values: Array.from({ length: 5 }, (_, v) => ({
        code: `GV${stat}${v + 1}`,
        label: `${label}, Merkmal ${v + 1}`,
        unit: v % 2 === 0 ? 'Anzahl' : 'Tsd. EUR',
        perCapita: 0.01 * (t + 1) * (v + 1),
        decimals: v === 4 ? 1 : 0,
      })),
      quality: false,
      specialRate: 0.004,
      coverage: 1,
      zeroAsDash: false,
    });
  });
  const kreis = [
    ['12521-01-01-4', '12521', 'Ausländerstatistik'],
    ['12612-01-01-4', '12612', 'Statistik der Geburten'],
    ['12613-01-01-4', '12613', 'Statistik der Sterbefälle'],
    ['12711-01-01-4', '12711', 'Wanderungsstatistik'],
    ['21211-01-01-4', '21211', 'Statistik der beruflichen Schulen'],
    ['21311-02-01-4', '21311', 'Statistik der Studienanfänger'],
    ['22111-01-01-4', '22111', 'Statistik der Sozialhilfe'],
    ['22311-01-01-4', '22311', 'Statistik der Pflegeeinrichtungen'],
    ['23111-01-01-4', '23111', 'Krankenhausstatistik'],
    ['32111-01-01-4', '32111', 'Abfallentsorgung'],
    ['52111-01-01-4', '52111', 'Unternehmensregister'],
  ];
  kreis.forEach(([code, stat, label], t) => {
    out.push({
      code: code ?? '',
      statCode: stat ?? '',
      statLabel: label ?? '',
      timeCode: 'JAHR',
      timeLabel: 'Jahr',
      time: jahr,
      level: 'kreis',
      merkmale: [GES],
      values: Array.from({ length: 3 }, (_, v) => ({
        code: `GV${stat}${t}${v + 1}`,
        label: `${label}, Merkmal ${v + 1}`,
        unit: 'Anzahl',
        perCapita: 0.002 * (t + 1) * (v + 1),
        decimals: 0,
      })),
      quality: false,
      specialRate: 0.004,
      coverage: 1,
      zeroAsDash: false,
    });
  });
  return out;
}

export const TABLES: readonly TableSpec[] = [...RECIPE_TABLES, ...genericTables()];

/** Value variables in all (the issue asks for 60). */
export const VARIABLE_COUNT = TABLES.reduce((n, t) => n + t.values.length, 0);
