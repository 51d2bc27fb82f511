/**
 * The two checks every static export must pass before it replaces the previous one, run on the
 * written files alone (not on what the crawl believes it wrote):
 * - links: every href/src/srcset of every HTML file and every CSS url() resolves to a written
 *   file under the base path, without a query string (a static host ignores it), and every
 *   #fragment names an id of its target page;
 * - leaks: no file holds a link into the internal area, nor any of the strings that only
 *   non-public data has (src/publish/leaks.ts) — XLSX files are unpacked to be read.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { cssUrls, decodeEntities, idsOf, linksOf } from './html.ts';
import type { LeakTerm } from './leaks.ts';
import { ORIGIN } from './urls.ts';

export interface Problem {
  /** Relative to the export root. */
  file: string;
  check: 'link' | 'leak';
  /** The offending link or string, and why. */
  detail: string;
}

/** Every file under `root`, relative, with `/`. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The file a root-relative path names, as a static server finds it, or null. */
function fileFor(path: string, files: Set<string>): string | null {
  const clean = path.replace(/^\/+/, '');
  if (clean === '' || clean.endsWith('/')) {
    const index = `${clean}index.html`;
    return files.has(index) ? index : null;
  }
  if (files.has(clean)) return clean;
  return files.has(`${clean}/index.html`) ? `${clean}/index.html` : null;
}

export async function checkLinks(root: string, basePath: string): Promise<Problem[]> {
  const files = await listFiles(root);
  const set = new Set(files);
  const ids = new Map<string, Set<string>>();
  const idsFor = async (file: string): Promise<Set<string>> => {
    let known = ids.get(file);
    if (!known) {
      known = file.endsWith('.html') ? idsOf(await readFile(join(root, file), 'utf8')) : new Set();
      ids.set(file, known);
    }
    return known;
  };
  const problems: Problem[] = [];
  for (const file of files) {
    const html = file.endsWith('.html');
    if (!html && !file.endsWith('.css')) continue;
    const text = await readFile(join(root, file), 'utf8');
    const links = html ? linksOf(text).map((l) => l.url) : cssUrls(text).map((l) => l.url);
    const pageUrl = new URL(`${basePath}${file}`, ORIGIN);
    for (const link of links) {
      if (/^(mailto:|tel:|data:|javascript:)/i.test(link)) continue;
      const url = new URL(link, pageUrl);
      if (url.origin !== ORIGIN) continue; // another site: not ours to check
      const say = (why: string): void => {
        problems.push({ file, check: 'link', detail: `${link}: ${why}` });
      };
      if (url.search !== '') {
        say('has a query string, which a static server ignores');
        continue;
      }
      const path = decodeURIComponent(url.pathname);
      if (!path.startsWith(basePath)) {
        say(`is outside the base path ${basePath}`);
        continue;
      }
      const target = fileFor(path.slice(basePath.length), set);
      if (target === null) {
        say('no such file in the export');
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment !== '' && !(await idsFor(target)).has(fragment)) {
        say(`no id "${fragment}" in ${target}`);
      }
    }
  }
  return problems;
}

/** The readable text of a written file, or null for images. */
async function textOf(root: string, file: string): Promise<string | null> {
  const bytes = await readFile(join(root, file));
  if (file.endsWith('.xlsx')) {
    return Object.entries(unzipSync(bytes))
      .filter(([name]) => name.endsWith('.xml'))
      .map(([, data]) => decodeEntities(strFromU8(data)))
      .join('\n');
  }
  if (/\.(png|jpe?g|gif|webp|ico)$/i.test(file) && !bytes.subarray(0, 200).includes(0x3c)) {
    return null;
  }
  const text = new TextDecoder().decode(bytes);
  return /\.(html|svg|xml)$/.test(file) ? decodeEntities(text) : text;
}

/**
 * The whole numbers of a text (digits with `.` grouping, not part of a decimal) and where each
 * first occurs: number terms are looked up here, so a large draft (thousands of number terms)
 * costs one scan per file, not one regular expression per term and file.
 */
function numbersOf(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of text.matchAll(
    /(?<![0-9.,])\d{1,3}(?:\.\d{3})+(?![0-9]|[.,][0-9])|(?<![0-9.,])\d+(?![0-9]|[.,][0-9])/g,
  )) {
    if (!found.has(m[0])) found.set(m[0], m.index);
  }
  return found;
}

/** Where in `text` a leak term occurs (numbers only as whole numbers), or -1. */
function find(text: string, term: LeakTerm, numbers: () => Map<string, number>): number {
  if (term.kind !== 'number') return text.indexOf(term.text);
  return numbers().get(term.text) ?? -1;
}

export async function checkLeaks(root: string, terms: readonly LeakTerm[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const file of await listFiles(root)) {
    for (const term of terms) {
      if (term.kind === 'url-token' && file.split(/[/_.-]/).includes(term.text)) {
        problems.push({ file, check: 'leak', detail: `file name holds ${term.why}` });
      }
    }
    const text = await textOf(root, file);
    if (text === null) continue;
    if (file.endsWith('.html')) {
      for (const link of linksOf(text)) {
        if (/(^|\/)(intern|anmelden)(\/|$|\?|#)/.test(link.url)) {
          problems.push({
            file,
            check: 'leak',
            detail: `link into the internal area: ${link.url}`,
          });
        }
        const tokens = link.url.split(/[/?&=,#_.]/);
        for (const term of terms) {
          if (term.kind === 'url-token' && tokens.includes(term.text)) {
            problems.push({ file, check: 'leak', detail: `${term.why} in the link ${link.url}` });
          }
        }
      }
    }
    let numbers: Map<string, number> | undefined;
    const numbersHere = () => (numbers ??= numbersOf(text));
    for (const term of terms) {
      if (term.kind === 'url-token') continue;
      const at = find(text, term, numbersHere);
      if (at >= 0) {
        const context = text
          .slice(Math.max(0, at - 30), at + term.text.length + 30)
          .replace(/\s+/g, ' ');
        problems.push({
          file,
          check: 'leak',
          detail: `${term.why} "${term.text}" in …${context}…`,
        });
      }
    }
    const internal = /\/(intern|anmelden)\b/.exec(text);
    if (internal) {
      problems.push({ file, check: 'leak', detail: `names the internal area (${internal[0]})` });
    }
  }
  return problems;
}
