/**
 * Reports over HTTP: the chapters this viewer may read (one per active indicator with values, by
 * the policy) and one chapter as HTML or PDF. A chapter is rendered for the viewer's audience, so
 * the public gets the blanks of the disclosure control exactly as on the portal
 * (src/web/view-data.ts). It is dated by the release it shows, not by today, so the same data give
 * the same bytes and ETag. PDFs come from the one shared Chromium (src/report/browser.ts).
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { BimoError } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import { renderChapter } from '../../report/chapter.ts';
import { htmlToPdf } from '../../report/pdf.ts';
import { API_BASE } from '../openapi/document.ts';
import { newApi, type Api, type Services } from '../env.ts';
import { def } from '../openapi/route.ts';
import { errors, ok, PageMeta, pageQuery, paginate, Period } from '../openapi/schemas.ts';
import { findIndicator, visibleIndicators, type Viewer } from '../policy.ts';
import { viewerOf } from '../viewer.ts';

const PREFIX = 'kapitel-';

export const ReportId = z
  .string()
  .max(60)
  .regex(/^kapitel-[A-Za-z0-9_-]{1,40}$/, 'is not a report id (kapitel- and an indicator id)')
  .meta({
    description: 'A report id from GET /api/v1/reports: `kapitel-` and the indicator id.',
    example: 'kapitel-D6',
  });

const Report = z
  .object({
    id: z.string(),
    kind: z.enum(['chapter']).meta({ description: 'One chapter per indicator.' }),
    indicator: z.string(),
    area: z.string(),
    title: z.string().meta({ description: 'The German title, as printed.' }),
    periods: z.array(z.string()).meta({
      description: 'Periods with values; `period` chooses one (default: the latest).',
    }),
    formats: z.array(z.enum(['html', 'pdf'])),
    links: z.object({
      html: z.string(),
      pdf: z.string(),
      indicator: z.string(),
    }),
  })
  .openapi('Report');

function reportRow(ind: Indicator, periods: string[]): z.infer<typeof Report> {
  const self = `${API_BASE}/reports/${PREFIX}${ind.id}`;
  return {
    id: `${PREFIX}${ind.id}`,
    kind: 'chapter',
    indicator: ind.id,
    area: ind.area,
    title: `Kapitel ${ind.id}: ${ind.title_de}`,
    periods,
    formats: ['html', 'pdf'],
    links: { html: self, pdf: `${self}?format=pdf`, indicator: `${API_BASE}/indicators/${ind.id}` },
  };
}

/** Unknown, hidden and empty chapters answer alike, without repeating the id. */
function noReport(): BimoError {
  return new BimoError(
    'BIMO_E_NOT_FOUND',
    'no report with this id is available',
    'GET /api/v1/reports lists the reports (for example kapitel-D6).',
    { field: 'id' },
  );
}

/** The indicator of a chapter with values that `viewer` may read; else 404. */
async function chapterIndicator(s: Services, id: string, viewer: Viewer): Promise<Indicator> {
  let indicator: Indicator;
  try {
    indicator = findIndicator(s.catalog, id.slice(PREFIX.length), viewer);
  } catch {
    throw noReport();
  }
  if (indicator.status !== 'active') throw noReport();
  const { periods } = await s.store.indicatorCoverage(indicator.id);
  if (periods.length === 0) throw noReport();
  return indicator;
}

/**
 * PDFs through the shared browser: at most `slots` pages at once (each takes ~0.3–1 s of
 * Chromium), the last `keep` kept by the hash of their HTML, so repeated and simultaneous asks
 * for the same chapter render it once.
 */
export class PdfPrinter {
  readonly #cache = new Map<string, Promise<Uint8Array>>();
  readonly #waiting: (() => void)[] = [];
  #active = 0;

  constructor(
    private readonly print: (html: string) => Promise<Uint8Array> = htmlToPdf,
    private readonly slots = 2,
    private readonly keep = 16,
  ) {}

  pdf(key: string, html: string): Promise<Uint8Array> {
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const made = this.#limited(() => this.print(html));
    this.#cache.set(key, made);
    // A failed print is not kept: the next request tries again.
    made.catch(() => {
      if (this.#cache.get(key) === made) this.#cache.delete(key);
    });
    while (this.#cache.size > this.keep) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return made;
  }

  async #limited<T>(task: () => Promise<T>): Promise<T> {
    while (this.#active >= this.slots) await new Promise<void>((go) => this.#waiting.push(go));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

export function reportRoutes(s: Services, printer = new PdfPrinter()): Api {
  const api = newApi();

  def(
    api,
    {
      method: 'get',
      path: '/reports',
      tags: ['Reports'],
      summary: 'The available reports',
      description:
        'One chapter per active indicator with values that this viewer may read (internal ones only when signed in), in catalog order; each as HTML or PDF.',
      request: { query: z.object(pageQuery(100, 1000)) },
      responses: {
        ...ok(z.object({ data: z.array(Report), page: PageMeta }), 'The reports.'),
        ...errors(400),
      },
    },
    async (c) => {
      const active = visibleIndicators(viewerOf(c), s.catalog).filter((i) => i.status === 'active');
      // Asked together: a third faster than one after another (DuckDB, 67 indicators).
      const coverage = await Promise.all(active.map((i) => s.store.indicatorCoverage(i.id)));
      const rows = active
        .map((ind, k) => reportRow(ind, coverage[k]?.periods ?? []))
        .filter((r) => r.periods.length > 0);
      return c.json(paginate(c, rows, c.req.valid('query')), 200);
    },
  );

  def(
    api,
    {
      method: 'get',
      path: '/reports/{id}',
      tags: ['Reports'],
      summary: 'One report chapter as HTML or PDF',
      description:
        'The chapter of the Bildungsbericht for one indicator: key figures, the NRW map, the ranking of the Kreise, the table and the sources, in German, as this viewer may see them (the public gets blanks where the disclosure control suppresses values). The PDF is A4, rendered by Chromium (about a second; repeated requests are answered from memory), and sent as a download.',
      request: {
        params: z.object({ id: ReportId }),
        query: z.object({
          format: z.enum(['html', 'pdf']).default('html').meta({
            description: '`html` (default) to read in the browser, `pdf` to download.',
            example: 'pdf',
          }),
          period: Period.optional().meta({
            description: 'The reporting year of the chapter (default: the latest with values).',
            example: '2023',
          }),
        }),
      },
      responses: {
        200: {
          description: 'The chapter.',
          content: {
            'text/html': { schema: z.string() },
            'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
          },
        },
        304: { description: 'Not modified: If-None-Match named the current ETag.' },
        ...errors(400, 404),
        500: {
          ...errors(500)[500],
          description:
            'The PDF could not be printed (BIMO_E_BROWSER: Chromium is missing or failed); format=html still works.',
        },
      },
    },
    async (c) => {
      const viewer = viewerOf(c);
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const indicator = await chapterIndicator(s, id, viewer);
      const release = await s.store.latestPublishedRelease();
      const stand = release ? new Date(release.publishedAt ?? release.createdAt) : undefined;
      const { html, view } = await renderChapter(s, indicator.id, q.period, {
        viewer,
        stand,
        // Over HTTP the CSP forbids inline styles; the PDF is printed from a self-contained page.
        styles: q.format === 'pdf' ? 'inline' : 'link',
      });
      if (q.period !== undefined && view.period !== q.period) {
        throw new BimoError(
          'BIMO_E_NOT_FOUND',
          `report ${id} has no values for ${q.period}`,
          `Periods with values: ${view.periods.join(', ')}.`,
          { field: 'period' },
        );
      }
      if (q.format === 'html') return c.html(html, 200);
      // The ETag comes from the HTML the PDF is printed from (Chromium stamps each PDF with the
      // time), so a conditional GET is answered without printing.
      const etag = `"pdf-${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
      const asked = c.req.header('If-None-Match') ?? '';
      if (asked === '*' || asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return c.body(null, 304, { ETag: etag }) as never;
      }
      let pdf: Uint8Array;
      try {
        pdf = await printer.pdf(etag, html);
      } catch (err) {
        console.error(err);
        throw new BimoError(
          'BIMO_E_BROWSER',
          'the PDF could not be printed',
          'The server needs Chromium (`apt-get install chromium`, or BIMO_CHROMIUM); the same chapter is available with format=html.',
        );
      }
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${id}.pdf"`,
        ETag: etag,
      }) as never;
    },
  );

  return api;
}
