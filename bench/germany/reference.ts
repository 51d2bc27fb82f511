/**
 * The side-by-side reference of the Germany-scale bench, in DuckDB alone: (a) `read_csv` of the
 * same generated files into one table (text columns, no mapping), and (b) the aggregation and
 * indicator computation written as ONE SQL query over that table: numerators and denominators
 * summed Gemeinde → Kreis → Regierungsbezirk → Land → Bund per year (a parent only where every
 * child valid that year has a value, as bimo does), then the rate. For four indicators that
 * bimo computes from these files: A1 (population, with its sex breakdown), A9a (income per
 * taxpayer, from Gemeinden), F1b (share of foreign students) and A2a (share of families, from
 * Kreise). No disclosure control, no flags, no region groups: the bare arithmetic.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RegionData } from '../../src/regions/index.ts';

export const REFERENCE_INDICATORS = ['A1', 'A9a', 'F1b', 'A2a'] as const;

/** (a): every file into one table, as text. Returns the rows loaded. */
export async function loadRaw(conn: DuckDBConnection, files: readonly string[]): Promise<number> {
  const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
  await conn.run(
    `CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv([${list}], delim = ';', header = true,
       all_varchar = true, union_by_name = true, quote = '', escape = '')`,
  );
  const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM raw');
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
}

/** The registry as a table (given to both sides; not timed). */
export async function loadRegions(conn: DuckDBConnection, data: RegionData): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TABLE region (code VARCHAR, level VARCHAR, parent_code VARCHAR,
       valid_from VARCHAR, valid_to VARCHAR)`,
  );
  const appender = await conn.createAppender('region');
  for (const r of data.regions) {
    appender.appendVarchar(r.code);
    appender.appendVarchar(r.level);
    if (r.parentCode === null) appender.appendNull();
    else appender.appendVarchar(r.parentCode);
    if (r.validFrom === null) appender.appendNull();
    else appender.appendVarchar(r.validFrom);
    if (r.validTo === null) appender.appendNull();
    else appender.appendVarchar(r.validTo);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

/**
 * (b): one query, result in table `ref_values(indicator_id, region_code, period, dims_key,
 * value, numerator, denominator)`. `-` counts as 0 where the recipe says so (21311).
 */
export const REFERENCE_SQL = `
CREATE OR REPLACE TABLE ref_values AS
WITH v AS (
  SELECT *, CAST(substr(time, 1, 4) AS INTEGER) AS year,
    TRY_CAST(replace(value, ',', '.') AS DOUBLE) AS x,
    "1_variable_attribute_code" AS code
  FROM raw
),
cells AS (
  SELECT 'A1' AS ind,
    CASE "2_variable_attribute_code" WHEN 'GESM' THEN 'geschlecht=maennlich'
      WHEN 'GESW' THEN 'geschlecht=weiblich' ELSE '' END AS dims,
    code, year, x AS num, NULL::DOUBLE AS den
  FROM v WHERE value_variable_code = 'BEVSTD'
  UNION ALL
  SELECT 'A9a', '', code, year,
    SUM(x) FILTER (WHERE value_variable_code = 'EKF002'),
    SUM(x) FILTER (WHERE value_variable_code = 'LSNW01')
  FROM v WHERE value_variable_code IN ('EKF002', 'LSNW01') GROUP BY code, year
  UNION ALL
  SELECT 'F1b', '', code, year,
    SUM(coalesce(x, 0)) FILTER (WHERE "3_variable_attribute_code" = 'NATA'),
    SUM(coalesce(x, 0)) FILTER (WHERE "3_variable_attribute_code" = 'INSGESAMT')
  FROM v WHERE value_variable_code = 'HS-W02' AND "2_variable_attribute_code" = 'INSGESAMT'
    AND "4_variable_attribute_code" = 'INSGESAMT'
  GROUP BY code, year
  UNION ALL
  SELECT 'A2a', '', code, year,
    SUM(x) FILTER (WHERE "2_variable_attribute_code" = 'FAMILIEN'),
    SUM(x) FILTER (WHERE "2_variable_attribute_code" = 'LB-INS')
  FROM v WHERE value_variable_code = 'LBFMZ01' GROUP BY code, year
),
years AS (SELECT DISTINCT year FROM cells),
-- Children valid at the end of each year, per parent: a parent's sum needs all of them.
kids AS (
  SELECT r.parent_code AS code, y.year, count(*) AS n
  FROM region r, years y
  WHERE r.parent_code IS NOT NULL
    AND (r.valid_from IS NULL OR r.valid_from <= y.year || '-12-31')
    AND (r.valid_to IS NULL OR r.valid_to >= y.year || '-12-31')
  GROUP BY ALL
),
up1 AS (  -- Gemeinde cells to their Kreis
  SELECT c.ind, c.dims, r.parent_code AS code, c.year, SUM(num) AS num, SUM(den) AS den,
    count(*) AS n
  FROM cells c JOIN region r ON r.code = c.code AND r.level = 'gemeinde' GROUP BY ALL
),
kreis AS (
  SELECT c.ind, c.dims, c.code, c.year, c.num, c.den
  FROM cells c JOIN region r ON r.code = c.code AND r.level = 'kreis'
  UNION ALL
  SELECT u.ind, u.dims, u.code, u.year, u.num, u.den
  FROM up1 u JOIN kids k USING (code, year) WHERE u.n = k.n
),
rb AS (
  SELECT c.ind, c.dims, r.parent_code AS code, c.year, SUM(num) AS num, SUM(den) AS den,
    count(*) AS n
  FROM kreis c JOIN region r ON r.code = c.code JOIN region p ON p.code = r.parent_code
  WHERE p.level = 'rb' GROUP BY ALL
),
rb_ok AS (SELECT u.* EXCLUDE (n) FROM rb u JOIN kids k USING (code, year) WHERE u.n = k.n),
land AS (
  SELECT c.ind, c.dims, r.parent_code AS code, c.year, SUM(num) AS num, SUM(den) AS den,
    count(*) AS n
  FROM (SELECT * FROM rb_ok UNION ALL SELECT * FROM kreis) c
  JOIN region r ON r.code = c.code JOIN region p ON p.code = r.parent_code
  WHERE p.level = 'land' GROUP BY ALL
),
land_ok AS (SELECT u.* EXCLUDE (n) FROM land u JOIN kids k USING (code, year) WHERE u.n = k.n),
bund AS (
  SELECT c.ind, c.dims, r.parent_code AS code, c.year, SUM(num) AS num, SUM(den) AS den,
    count(*) AS n
  FROM land_ok c JOIN region r ON r.code = c.code GROUP BY ALL
),
bund_ok AS (SELECT u.* EXCLUDE (n) FROM bund u JOIN kids k USING (code, year) WHERE u.n = k.n),
everything AS (
  SELECT * FROM cells c WHERE EXISTS (SELECT 1 FROM region r WHERE r.code = c.code AND r.level = 'gemeinde')
  UNION ALL SELECT * FROM kreis UNION ALL SELECT * FROM rb_ok
  UNION ALL SELECT * FROM land_ok UNION ALL SELECT * FROM bund_ok
)
SELECT ind AS indicator_id, code AS region_code, CAST(year AS VARCHAR) AS period, dims AS dims_key,
  CASE ind WHEN 'A1' THEN num WHEN 'A9a' THEN 1000 * num / den ELSE 100 * num / den END AS value,
  num AS numerator, den AS denominator
FROM everything
`;

/** Rows of ref_values. */
export async function runReference(conn: DuckDBConnection): Promise<number> {
  await conn.run(REFERENCE_SQL);
  const reader = await conn.runAndReadAll('SELECT count(*) AS n FROM ref_values');
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0);
}

export interface Agreement {
  reference: number;
  ours: number;
  matched: number;
  equal: number;
  maxRelDiff: number;
  samples: { indicator: string; region: string; period: string; ours: number; ref: number }[];
}

/**
 * Compares ref_values with bimo's values of the same indicators (a TSV the bimo side wrote:
 * indicator, region, period, dims, value), over the hierarchy regions both have.
 */
export async function agreement(conn: DuckDBConnection, oursTsv: string): Promise<Agreement> {
  await conn.run(
    `CREATE OR REPLACE TABLE ours AS SELECT * FROM read_csv($1, delim = '\t', header = true,
       columns = {'indicator_id': 'VARCHAR', 'region_code': 'VARCHAR', 'period': 'VARCHAR',
       'dims_key': 'VARCHAR', 'value': 'DOUBLE'}, quote = '', escape = '')`,
    [oursTsv],
  );
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  const [s] = await q(`
    SELECT (SELECT count(*) FROM ref_values WHERE value IS NOT NULL) AS reference,
      (SELECT count(*) FROM ours o JOIN region r ON r.code = o.region_code
        WHERE o.value IS NOT NULL AND coalesce(o.dims_key, '') IN ('', 'geschlecht=maennlich', 'geschlecht=weiblich')
        AND (o.indicator_id = 'A1' OR coalesce(o.dims_key, '') = '')) AS ours,
      count(*) AS matched,
      count(*) FILTER (WHERE abs(o.value - f.value) <= 1e-9 * greatest(abs(f.value), 1)) AS equal,
      coalesce(max(abs(o.value - f.value) / greatest(abs(f.value), 1)), 0) AS max_rel
    FROM ref_values f JOIN ours o ON o.indicator_id = f.indicator_id AND o.region_code = f.region_code
      AND o.period = f.period AND coalesce(o.dims_key, '') = f.dims_key
    WHERE f.value IS NOT NULL AND o.value IS NOT NULL`);
  const samples = await q(`
    SELECT f.indicator_id, f.region_code, f.period, o.value AS ours, f.value AS ref
    FROM ref_values f JOIN ours o ON o.indicator_id = f.indicator_id AND o.region_code = f.region_code
      AND o.period = f.period AND coalesce(o.dims_key, '') = f.dims_key
    WHERE f.dims_key = '' AND f.period = (SELECT max(period) FROM ref_values)
      AND f.value IS NOT NULL AND o.value IS NOT NULL
      AND (f.region_code = 'DG' OR length(f.region_code) IN (2, 5, 8))
    QUALIFY row_number() OVER (PARTITION BY f.indicator_id, length(f.region_code) ORDER BY f.region_code) = 1
    ORDER BY f.indicator_id, length(f.region_code)`);
  return {
    reference: Number(s?.reference ?? 0),
    ours: Number(s?.ours ?? 0),
    matched: Number(s?.matched ?? 0),
    equal: Number(s?.equal ?? 0),
    maxRelDiff: Number(s?.max_rel ?? 0),
    samples: samples.map((r) => ({
      indicator: String(r.indicator_id),
      region: String(r.region_code),
      period: String(r.period),
      ours: Number(r.ours),
      ref: Number(r.ref),
    })),
  };
}
