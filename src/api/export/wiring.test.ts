/**
 * How the values route serves a download (the wiring the route in src/api/app.ts uses): a Hono
 * handler with downloadHeaders, conditional requests by ETag, and the export source built from
 * the store's source list.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../domain/index.ts';
import { DL_DE_BY_2_0, downloadHeaders, exportSourceOf, exportValues } from './index.ts';
import { AT, ROWS, SOURCE, indicator } from './testkit.ts';

const source = (over: Partial<Source>): Source => ({
  id: 's',
  tableCode: '21111-02-06-4',
  title: 'Schüler',
  database: 'GENESIS-Online',
  stand: null,
  fileName: 'f.csv',
  fileSha256: '0',
  importedAt: '2024-01-01T00:00:00Z',
  licence: 'dl-de/by-2-0',
  footnotes: '',
  ...over,
});

describe('serving a download', () => {
  const app = new Hono().get('/values', (c) => {
    const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
    const file = exportValues({
      indicator: indicator(),
      rows: ROWS,
      format,
      source: SOURCE,
      generatedAt: AT,
    });
    const headers = downloadHeaders(file);
    if (c.req.header('If-None-Match') === headers.ETag)
      return c.body(null, 304, { ETag: headers.ETag ?? '' });
    return c.body(file.body, 200, headers);
  });

  it('sends the bytes as an attachment and answers a repeated request with 304', async () => {
    const res = await app.request('/values?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('Content-Disposition')).toBe(
      'attachment; filename="bimo_D1-geschlecht_2023.xlsx"',
    );
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body[0]).toBe(0x50); // "PK"
    const etag = res.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const again = await app.request('/values?format=xlsx', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('exportSourceOf', () => {
  it('names the indicator tables with database, the latest Stand and the licence in full', () => {
    const s = exportSourceOf(indicator(), [
      source({ stand: '2023-03-01' }),
      source({ id: 't', stand: '2024-03-15' }),
      source({ id: 'u', tableCode: '99999-01', stand: '2025-01-01' }),
    ]);
    expect(s).toEqual({
      tables: ['GENESIS-Online, Tabelle 21111-02-06-4'],
      stand: '2024-03-15',
      licence: DL_DE_BY_2_0,
    });
  });

  it('falls back to the catalog tables and keeps other licences as they are', () => {
    expect(exportSourceOf(indicator(), []).tables).toEqual(['21111-02-06-4']);
    const s = exportSourceOf(indicator(), [source({ licence: 'Kreis Düren, intern' })]);
    expect(s.licence).toBe('Kreis Düren, intern');
  });
});
