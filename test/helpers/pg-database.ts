/** A fresh database of its own on the test cluster, so a suite never sees another suite's tables. */
import pg from 'pg';

export async function freshDatabaseUrl(base: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
