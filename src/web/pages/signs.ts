/**
 * Official signs (Zeichenerklärung) on the portal pages. A value that is a sign, or carries one,
 * shows the sign as an abbreviation whose title says what it means, and the page lists every
 * sign it showed in a legend below (as the indicator and comparison pages do). A value that does
 * not exist at all is "k. A." (keine Angabe), kept apart from the official '.', which says that a
 * value exists but is unknown or kept secret.
 */
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import { html, type Raw } from '../html.ts';
import type { Lang } from '../i18n.ts';
import { FLAG_LABELS_EN } from '../text.ts';
import { fmtValue } from './region-words.ts';

const W = {
  de: {
    heading: 'Zeichenerklärung',
    none: 'k. A.',
    noneTitle: 'keine Angabe',
    noneText: 'keine Angabe: für diese Region und dieses Jahr gibt es keinen Wert.',
  },
  en: {
    heading: 'Signs',
    none: 'n/a',
    noneTitle: 'not available',
    noneText: 'not available: there is no value for this region and year.',
  },
} as const;

/** Signs that follow a number ('9.500 EUR p'). */
const TRAILING: readonly Flag[] = ['s', 'p', 'r'];

/** The signs one page shows, collected while it renders, for its legend. */
export class Signs {
  readonly #seen = new Set<Flag>();
  #none = false;

  constructor(readonly lang: Lang) {}

  label(flag: Flag): string {
    return (this.lang === 'en' ? FLAG_LABELS_EN : FLAG_LABELS_DE)[flag];
  }

  /** A value in the page's number format with its sign marked up, or "k. A." without one. */
  value(value: number | null, flag: Flag | null, decimals: number, unit?: string): Raw {
    if (value === null && flag === null) return this.none();
    if (flag === null) return html`${fmtValue(this.lang, value, null, decimals, unit)}`;
    this.#seen.add(flag);
    const sign = html`<abbr class="sign" title="${this.label(flag)}">${flag}</abbr>`;
    if (value === null) return sign;
    if (TRAILING.includes(flag)) {
      return html`${fmtValue(this.lang, value, null, decimals, unit)} ${sign}`;
    }
    return html`${fmtValue(this.lang, value, flag, decimals, unit)}`;
  }

  /** No value at all (no row, or a reference that cannot be formed). */
  none(): Raw {
    this.#none = true;
    const t = W[this.lang];
    return html`<abbr class="sign" title="${t.noneTitle}">${t.none}</abbr>`;
  }

  /**
   * The legend of the signs shown so far (empty when none was): each sign with its meaning;
   * `noneText` explains "k. A." where the page knows why values are missing.
   */
  legend(noneText?: string): Raw {
    if (this.#seen.size === 0 && !this.#none) return html``;
    const t = W[this.lang];
    const flags = [...this.#seen].sort();
    return html`<section class="signs" aria-label="${t.heading}">
      <h2>${t.heading}</h2>
      <dl class="meta signs">
        ${flags.map(
          (f) =>
            html`<dt><code>${f}</code></dt>
              <dd>${this.label(f)}</dd>`,
        )}
        ${
          this.#none
            ? html`<dt><code>${t.none}</code></dt>
                <dd>${noneText ?? t.noneText}</dd>`
            : ''
        }
      </dl>
    </section>`;
  }
}
