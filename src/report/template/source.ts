/**
 * The text of a report template (docs/reports.md): YAML front matter, Markdown, block directives
 * on a line of their own (`::karte indikator=D6`), loops over regions
 * (`:::für kreis in kreise` … `:::`) and placeholders (`{{region}}`, `{{kreis.in}}`).
 * Mistakes are reported with the file, line and column, and the fix.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError, type RegionLevel } from '../../domain/index.ts';
import { regionWords } from '../text/index.ts';

const metaSchema = z.object({
  title: z.string().trim().min(1),
  subtitle: z.string().default(''),
  /** Who publishes the report (cover and imprint). */
  publisher: z.string().default(''),
});
export type TemplateMeta = z.infer<typeof metaSchema>;

export interface TemplateSource {
  file: string;
  meta: TemplateMeta;
  /** The Markdown body, lines as in the file (front matter lines blanked, so numbers match). */
  lines: string[];
}

export function templateError(
  file: string,
  line: number,
  column: number,
  message: string,
  fix: string,
): BimoError {
  return new BimoError('BIMO_E_PARSE', `${file}:${line}:${column}: ${message}`, fix, {
    file,
    line,
    column,
  });
}

/** Splits the front matter off and checks it. */
export function readTemplate(text: string, file: string): TemplateSource {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') {
    throw templateError(
      file,
      1,
      1,
      'the template starts without front matter',
      'Begin the file with a line `---`, then `title: …`, then `---`.',
    );
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) {
    throw templateError(
      file,
      1,
      1,
      'the front matter is not closed',
      'Close it with a line `---` after `title: …`.',
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(lines.slice(1, end).join('\n'));
  } catch (err) {
    throw templateError(
      file,
      2,
      1,
      `the front matter is not valid YAML: ${(err as Error).message}`,
      'Write it as `key: value` lines.',
    );
  }
  const meta = metaSchema.safeParse(raw ?? {});
  if (!meta.success) {
    const issue = meta.error.issues[0];
    throw templateError(
      file,
      2,
      1,
      `front matter field ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`,
      'The front matter needs at least `title: …`.',
    );
  }
  return { file, meta: meta.data, lines: lines.map((l, i) => (i <= end ? '' : l)) };
}

export interface Directive {
  name: string;
  args: Record<string, string>;
  line: number;
}

const DIRECTIVE = /^::([a-zäöüß-]+)(.*)$/;
const ARG = /\s+([a-zäöüß_-]+)=("([^"]*)"|[^\s"]+)/y;

/** A directive line (`::name key=value key="a b"`), or null for any other line. */
export function parseDirective(line: string, file: string, lineNo: number): Directive | null {
  const m = DIRECTIVE.exec(line.trimEnd());
  if (!m || line.startsWith(':::')) return null;
  const name = m[1] ?? '';
  const rest = m[2] ?? '';
  const args: Record<string, string> = {};
  ARG.lastIndex = 0;
  let at = 0;
  while (at < rest.length) {
    ARG.lastIndex = at;
    const a = ARG.exec(rest);
    if (!a) {
      throw templateError(
        file,
        lineNo,
        name.length + 3 + at + (/^\s*/.exec(rest.slice(at))?.[0].length ?? 0),
        `cannot read the arguments of ::${name}: "${rest.slice(at).trim()}"`,
        'Write arguments as key=value, with quotes around values that contain spaces: ::karte indikator=D6 titel="Ohne Abschluss".',
      );
    }
    args[a[1] ?? ''] = a[3] ?? a[2] ?? '';
    at = ARG.lastIndex;
  }
  return { name, args, line: lineNo };
}

/** The items a loop can run over, by collection name. */
/** A region a placeholder names: `{{x}}` its name, `{{x.code}}` its key, and phrases. */
export interface Item {
  code: string;
  name: string;
  level?: RegionLevel | 'group';
}

export type Collections = Record<string, Item[]>;

/** `{{x.nominativ}}` "der Kreis Düren", `{{x.in}}` "im Kreis Düren", `{{x.fuer}}` "für den …". */
const PARTS = ['name', 'code', 'nominativ', 'in', 'fuer'] as const;

const LOOP = /^:::\s*für\s+([a-zäöüß]+)\s+in\s+([a-zäöüß]+)\s*$/;

/**
 * Expands loops (`:::für kreis in kreise` … `:::`) and placeholders. `{{x}}` and `{{x.name}}`
 * are a variable's name, `{{x.code}}` its key; unknown placeholders are an error.
 */
export function expand(
  src: TemplateSource,
  vars: Record<string, Item | string>,
  collections: Collections,
): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = src.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const loop = LOOP.exec(line.trim());
    if (loop) {
      const [, name = '', collection = ''] = loop;
      const close = lines.findIndex((l, j) => j > i && l.trim() === ':::');
      if (close < 0) {
        throw templateError(
          src.file,
          i + 1,
          1,
          `the loop "${line.trim()}" is not closed`,
          'End the loop with a line `:::`.',
        );
      }
      const nested = lines.findIndex((l, j) => j > i && j < close && LOOP.test(l.trim()));
      if (nested >= 0) {
        throw templateError(
          src.file,
          nested + 1,
          1,
          `loops cannot be nested: "${(lines[nested] ?? '').trim()}" inside "${line.trim()}"`,
          'Close the first loop with a line `:::` before the next one starts.',
        );
      }
      const items = collections[collection];
      if (!items) {
        throw templateError(
          src.file,
          i + 1,
          line.indexOf(collection) + 1,
          `unknown collection "${collection}"`,
          `Loop over one of: ${Object.keys(collections).join(', ')}.`,
        );
      }
      for (const item of items) {
        for (let j = i + 1; j < close; j++) {
          out.push({
            text: substitute(lines[j] ?? '', { ...vars, [name]: item }, src.file, j + 1),
            line: j + 1,
          });
        }
        out.push({ text: '', line: close + 1 });
      }
      i = close;
      continue;
    }
    if (line.trim().startsWith(':::')) {
      throw templateError(
        src.file,
        i + 1,
        1,
        `"${line.trim()}" is not a loop`,
        'Loops read `:::für kreis in kreise` (or gemeinden) and end with `:::`.',
      );
    }
    out.push({ text: substitute(line, vars, src.file, i + 1), line: i + 1 });
  }
  return out;
}

function substitute(
  line: string,
  vars: Record<string, Item | string>,
  file: string,
  lineNo: number,
): string {
  const known = Object.entries(vars)
    .flatMap(([k, v]) =>
      typeof v === 'string'
        ? [`{{${k}}}`]
        : [`{{${k}}}`, ...PARTS.slice(1).map((p) => `{{${k}.${p}}}`)],
    )
    .join(', ');
  return line.replace(/\{\{([^}]*)\}\}/g, (whole, inner: string, offset: number) => {
    const m = /^\s*([a-zäöüß]+)(?:\.(name|code|nominativ|in|fuer))?\s*$/.exec(inner);
    const v = m ? vars[m[1] ?? ''] : undefined;
    if (!m || v === undefined || (typeof v === 'string' && m[2] !== undefined)) {
      throw templateError(
        file,
        lineNo,
        offset + 1,
        `unknown placeholder ${whole}`,
        `Use one of: ${known}.`,
      );
    }
    if (typeof v === 'string') return v;
    const words = regionWords(v.name, v.level);
    switch (m[2]) {
      case 'code':
        return v.code;
      case 'nominativ':
        return words.nominative;
      case 'in':
        return words.in;
      case 'fuer':
        return words.for;
      default:
        return v.name;
    }
  });
}
