/**
 * GET forms in the static export. A static server ignores query strings, so a form that asks the
 * server (year and map level of an indicator, the region of the home page, search, compare)
 * cannot work there. Each such form is replaced by what a static site can offer: for every
 * single-choice <select>, one link per option (the other choices left at their default, so the
 * number of pages grows with the options, not their product); free-text fields, multiple
 * choices and search get a short note instead. The links are then crawled like any other, so
 * every view offered is a written page. POST forms (none on public pages) are dropped.
 */
import { attr, escapeAttr, tags, type Tag } from './html.ts';

interface Choice {
  name: string;
  label: string;
  options: { value: string; label: string; selected: boolean }[];
}

const WORDS = {
  de: {
    choices: 'Ansicht wählen',
    partial:
      'In dieser veröffentlichten Fassung sind die oben verlinkten Ansichten verfügbar; weitere Einstellungen (z. B. eigene Regionen) bietet das Portal auf dem Server.',
    search:
      'Suche und Filter stehen in dieser veröffentlichten Fassung nicht zur Verfügung. Alle Indikatoren, Regionen und Fragestellungen finden Sie über die Listen im Menü.',
    compare:
      'Eine eigene Auswahl ist in dieser veröffentlichten Fassung nicht möglich; verfügbar sind die Vergleiche, die von den Regionsseiten aus verlinkt sind.',
  },
  en: {
    choices: 'Choose a view',
    partial:
      'This published edition offers the views linked above; further settings (e.g. your own regions) are available in the portal on the server.',
    search:
      'Search and filters are not available in this published edition. Every indicator, region and question is listed in the menu.',
    compare:
      'A selection of your own is not possible in this published edition; the comparisons linked from the region pages are available.',
  },
} as const;

/** Visible text of an HTML fragment (tags removed, whitespace collapsed; entities kept). */
function textOf(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function labelFor(html: string, formStart: number, select: Tag, all: Tag[]): string {
  const id = attr(select, 'id');
  if (id !== undefined) {
    const label = all.find((t) => t.name === 'label' && attr(t, 'for') === id);
    if (label) return textOf(html.slice(label.end, html.indexOf('</label', label.end)));
  }
  // A <label> wrapping the select: its text before the select.
  const wrapping = [...all].reverse().find((t) => t.name === 'label' && t.start < select.start);
  if (wrapping && wrapping.start >= formStart) {
    return textOf(html.slice(wrapping.end, select.start));
  }
  return attr(select, 'name') ?? '';
}

function choicesOf(html: string, formStart: number, inner: Tag[]): Choice[] {
  const out: Choice[] = [];
  for (const select of inner.filter((t) => t.name === 'select')) {
    const name = attr(select, 'name');
    if (!name || select.attrs.some((a) => a.name === 'multiple')) continue;
    const close = html.indexOf('</select', select.end);
    const options = inner
      .filter((t) => t.name === 'option' && t.start > select.end && t.start < close)
      .map((o) => {
        const end = html.indexOf('</option', o.end);
        const label = textOf(html.slice(o.end, end < 0 || end > close ? close : end));
        return {
          value: attr(o, 'value') ?? label,
          label,
          selected: o.attrs.some((a) => a.name === 'selected'),
        };
      });
    if (options.length > 1) {
      out.push({ name, label: labelFor(html, formStart, select, inner), options });
    }
  }
  return out;
}

function linkTo(action: string, fixed: [string, string][], name: string, value: string): string {
  const params = new URLSearchParams(fixed);
  if (value !== '') params.set(name, value);
  const query = params.toString();
  return query === '' ? action : `${action}?${query}`;
}

/** The static stand-in of one GET form. */
function replacement(html: string, form: Tag, inner: Tag[], lang: 'de' | 'en'): string {
  const words = WORDS[lang];
  const action = attr(form, 'action') ?? '';
  const fixed: [string, string][] = inner
    .filter((t) => t.name === 'input' && attr(t, 'type') === 'hidden' && attr(t, 'name'))
    .map((t) => [attr(t, 'name')!, attr(t, 'value') ?? '']);
  const choices = choicesOf(html, form.start, inner);
  const named = new Set(choices.map((c) => c.name));
  const unsupported = inner.some(
    (t) =>
      (t.name === 'input' && !['hidden', 'submit', 'button'].includes(attr(t, 'type') ?? 'text')) ||
      t.name === 'textarea' ||
      (t.name === 'select' && !named.has(attr(t, 'name') ?? '')),
  );
  const multiple = inner.some(
    (t) => t.name === 'select' && t.attrs.some((a) => a.name === 'multiple'),
  );
  const note = choices.length > 0 ? words.partial : multiple ? words.compare : words.search;
  const rows = choices.map((c) => {
    // The portal lists the default first: its link is the address without the parameter.
    const first = c.options[0]!.value;
    const items = c.options.map((o) => {
      if (o.selected) return `<li><strong aria-current="true">${o.label}</strong></li>`;
      const to = linkTo(action, fixed, c.name, o.value === first ? '' : o.value);
      return `<li><a href="${escapeAttr(to)}">${o.label}</a></li>`;
    });
    return `<div class="static-choice"><p>${c.label}:</p><ul>${items.join('')}</ul></div>`;
  });
  const label = attr(form, 'aria-label') ?? words.choices;
  const hint = unsupported || choices.length === 0 ? `<p class="hint">${note}</p>` : '';
  if (rows.length === 0) return `<div class="static-note">${hint}</div>`;
  return `<nav class="static-choices" aria-label="${escapeAttr(label)}">${rows.join('')}${hint}</nav>`;
}

/** The page with every form replaced for the static export. */
export function staticForms(html: string): string {
  const lang = /<html[^>]*\blang="en"/i.test(html.slice(0, 500)) ? 'en' : 'de';
  const all = [...tags(html)];
  let out = '';
  let at = 0;
  for (const form of all.filter((t) => t.name === 'form')) {
    if (form.start < at) continue;
    const closeAt = html.indexOf('</form>', form.end);
    const end = closeAt < 0 ? html.length : closeAt + '</form>'.length;
    const inner = all.filter((t) => t.start > form.start && t.start < end);
    const method = (attr(form, 'method') ?? 'get').toLowerCase();
    out += html.slice(at, form.start);
    out += method === 'get' ? replacement(html, form, inner, lang) : '';
    at = end;
  }
  return out + html.slice(at);
}
