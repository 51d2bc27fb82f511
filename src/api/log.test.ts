import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger, redactPath, requestLog } from './log.ts';

const at = () => new Date('2026-11-22T05:00:00.000Z');

describe('structured logs', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'json', write: (l) => lines.push(l), now: at });
    log.warn('database unavailable', { path: '/readyz', skipped: undefined });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        time: '2026-11-22T05:00:00.000Z',
        level: 'warn',
        msg: 'database unavailable',
        path: '/readyz',
      },
    ]);
  });

  it('writes short lines as text: fields only for requests and trouble', () => {
    const lines: string[] = [];
    const log = createLogger({ format: 'text', write: (l) => lines.push(l), now: at });
    log.info('bimo serves http://127.0.0.1:8080/', { port: 8080 });
    log.info('request', { method: 'GET', path: '/', status: 200 });
    log.error('internal error', { path: '/x', error: 'Error: boom' });
    expect(lines).toEqual([
      'bimo serves http://127.0.0.1:8080/',
      'bimo: request method=GET path=/ status=200',
      'bimo: error: internal error path=/x error="Error: boom"',
    ]);
  });

  it('never logs the email or token id in a path', () => {
    expect(redactPath('/api/v1/users/anna.schmitz@kreis-dueren.de')).toBe('/api/v1/users/:email');
    expect(redactPath('/api/v1/auth/tokens/tok_123')).toBe('/api/v1/auth/tokens/:id');
    expect(redactPath('/indikatoren/D6')).toBe('/indikatoren/D6');
  });

  it('logs each request with its id, keeps a plain given id, replaces a hostile one', async () => {
    const lines: string[] = [];
    const app = new Hono();
    app.use(
      '*',
      requestLog(createLogger({ format: 'json', write: (l) => lines.push(l), now: at })),
    );
    app.get('/readyz', (c) => c.text('ok'));
    app.patch('/api/v1/users/:email', (c) => c.text('done'));
    const given = await app.request('/api/v1/users/a%40b.de?x=1', {
      method: 'PATCH',
      headers: { 'X-Request-Id': 'req-42' },
    });
    expect(given.headers.get('x-request-id')).toBe('req-42');
    const hostile = await app.request('/readyz', { headers: { 'X-Request-Id': 'a b {"x":1}' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // The successful probe is not logged; the query string and the email are not either.
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      msg: 'request',
      method: 'PATCH',
      path: '/api/v1/users/:email',
      status: 200,
      requestId: 'req-42',
    });
    expect(lines.join('\n')).not.toContain('a@b.de');
    expect(lines.join('\n')).not.toContain('x=1');
  });
});
