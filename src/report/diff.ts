/**
 * What changed in a report between two releases: the same template rendered on each, read as
 * lines of text (headings, paragraphs, list items, captions, table rows with their cells), and
 * the lines that differ, each under the heading it belongs to. So a reader sees the sentences
 * and table rows a data revision changed, not markup.
 */
import { diffArrays } from 'diff';

export interface ReportChange {
  /** The numbered heading the lines stand under ('' before the first). */
  section: string;
  removed: string[];
  added: string[];
}

const BLOCK = /<(h[1-6]|p|li|figcaption|tr|dt|dd)\b[^>]*>([\s\S]*?)<\/\1>/g;

const decode = (s: string) =>
  s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The readable lines of a report's main part, in order. */
export function reportLines(html: string): string[] {
  const start = html.indexOf('<main>');
  const end = html.lastIndexOf('</main>');
  const main = start >= 0 && end > start ? html.slice(start, end) : html;
  // Charts are drawn from the tables below them; their SVG text is left out.
  const text = main.replace(/<svg[\s\S]*?<\/svg>/g, '').replace(/<nav[\s\S]*?<\/nav>/, '');
  const lines: string[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const inner = m[2] ?? '';
    const line =
      m[1] === 'tr'
        ? [...inner.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)]
            .map((c) => plain(c[1] ?? ''))
            .join(' | ')
        : plain(inner);
    if (line) lines.push(m[1]?.startsWith('h') ? `# ${line}` : line);
  }
  return lines;
}

/** Footnote markers out (their numbers shift with any change), tags out, spaces folded. */
function plain(html: string): string {
  return decode(
    html
      .replace(/<sup class="footnote-ref">[\s\S]*?<\/sup>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * A line without the numbers that move when a figure, table or section is added elsewhere
 * ("Abbildung 12:", "Tabelle 3:", "# 4.2"), so only lines whose content changed differ.
 */
const comparable = (line: string) =>
  line.replace(/^(Abbildung|Tabelle) \d+:/, '$1:').replace(/^# \d+(\.\d+)? /, '# ');

/** The changed lines of `after` against `before`, grouped by heading. */
export function diffReports(before: string, after: string): ReportChange[] {
  const parts = diffArrays(reportLines(before), reportLines(after), {
    comparator: (a, b) => comparable(a) === comparable(b),
  });
  const changes: ReportChange[] = [];
  let section = '';
  // Adjacent removed and added runs under the same heading form one change.
  let joinable = false;
  for (const part of parts) {
    if (!part.added && !part.removed) {
      for (const line of part.value) if (line.startsWith('# ')) section = line.slice(2);
      joinable = false;
      continue;
    }
    let current = changes.at(-1);
    if (!joinable || !current || current.section !== section) {
      current = { section, removed: [], added: [] };
      changes.push(current);
      joinable = true;
    }
    (part.added ? current.added : current.removed).push(...part.value);
    const heading = part.added ? part.value.findLast((l) => l.startsWith('# ')) : undefined;
    if (heading) section = heading.slice(2);
  }
  return changes;
}
