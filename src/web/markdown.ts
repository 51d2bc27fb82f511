/**
 * The little Markdown of our own API texts (OpenAPI descriptions): paragraphs, `-` bullet lists,
 * `code` and **bold**. Everything is escaped first and only then marked up, so no text can add
 * markup of its own; anything else stays plain text.
 */
import { escapeHtml, html, raw, type Raw } from './html.ts';

const BULLET = /^[-*] /;

/** One line: `code` spans first (their content is never bold), then **bold**. */
export function inlineMarkdown(text: string): Raw {
  const parts = text.split(/(`[^`]+`)/);
  return raw(
    parts
      .map((part, i) =>
        i % 2 === 1
          ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
          : escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>'),
      )
      .join(''),
  );
}

/**
 * Blocks separated by blank lines; a block that starts with `- ` is a list (lines without a
 * bullet continue the item before), any other block a paragraph.
 */
export function markdown(text: string): Raw {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return html`${blocks.map((block) => {
    const lines = block.split('\n').map((l) => l.trim());
    if (!BULLET.test(lines[0] ?? '')) return html`<p>${inlineMarkdown(lines.join(' '))}</p>`;
    const items: string[] = [];
    for (const line of lines) {
      if (BULLET.test(line) || items.length === 0) items.push(line.replace(BULLET, ''));
      else items[items.length - 1] += ` ${line}`;
    }
    return html`<ul>
      ${items.map((item) => html`<li>${inlineMarkdown(item)}</li>`)}
    </ul>`;
  })}`;
}
