/**
 * A synthetic report in the report HTML contract of src/report/print.ts (cover, TOC with
 * placeholders, chapters with figures, tables, footnotes and a glossary), for the printReport
 * test and bench/report. Sections fall mid-page after long paragraphs, so their page numbers are
 * only known once Chromium has printed them.
 */
import { PRINT_CSS } from '../../src/report/print-css.ts';

export interface SyntheticReportOptions {
  /** Chapters, each starting on a new page (default 6). */
  chapters?: number;
  /** Sections per chapter, each after `paragraphs` long paragraphs (default 2). */
  sections?: number;
  /** Paragraphs before each section heading (default 5, about two thirds of a page). */
  paragraphs?: number;
}

export interface TocEntry {
  id: string;
  title: string;
  level: 1 | 2;
}

const WORDS =
  'Die Übergangsquote auf das Gymnasium ist im Kreis seit dem Schuljahr 2015/16 gestiegen, ' +
  'während der Anteil der Schulabgängerinnen und Schulabgänger ohne Abschluss nahezu gleich ' +
  'blieb. Im Vergleich mit den Kreisen ähnlicher Struktur liegt der Wert im oberen Drittel. ';

export function paragraph(seed: number): string {
  return `<p>${WORDS.repeat(4 + (seed % 3))}</p>`;
}

/** An inline-SVG bar chart (vector, with text labels). */
export function barChart(n: number): string {
  const bars = [42, 57, 35, 66, 50]
    .map(
      (v, i) =>
        `<rect x="${20 + i * 70}" y="${150 - v * 2}" width="50" height="${v * 2}" fill="#1f6f8b"/>` +
        `<text x="${45 + i * 70}" y="170" font-size="11" text-anchor="middle" ` +
        `font-family="DejaVu Sans">${2019 + i}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="180" viewBox="0 0 400 180" ` +
    `role="img" aria-label="Balkendiagramm ${n}">${bars}</svg>`
  );
}

function figure(n: number, title: string): string {
  return (
    `<figure><figcaption>Abbildung ${n}: ${title}</figcaption>${barChart(n)}` +
    `<p class="figure-source">Quelle: Statistische Ämter des Bundes und der Länder, ` +
    `Regionaldatenbank; Lizenz: Datenlizenz Deutschland – Namensnennung – 2.0</p></figure>`
  );
}

function table(n: number): string {
  const rows = Array.from(
    { length: 8 },
    (_, i) =>
      `<tr><td>${2015 + i}</td><td class="num">${(40 + i * 1.3).toFixed(1)}</td>` +
      `<td class="num">${(38 + i).toFixed(1)}<sup class="footnote-ref">1</sup></td></tr>`,
  ).join('');
  return (
    `<table><caption>Tabelle ${n}: Übergangsquote in %</caption>` +
    `<thead><tr><th>Jahr</th><th class="num">Kreis</th><th class="num">Land</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

export function syntheticReport(opts: SyntheticReportOptions = {}): {
  html: string;
  toc: TocEntry[];
} {
  const chapters = opts.chapters ?? 6;
  const sections = opts.sections ?? 2;
  const paragraphs = opts.paragraphs ?? 5;
  const toc: TocEntry[] = [];
  const body: string[] = [];
  let figureNo = 0;
  for (let c = 1; c <= chapters; c++) {
    const id = `kapitel-${c}`;
    const title = `${c} Handlungsfeld ${c}: Übergänge im Bildungsverlauf`;
    toc.push({ id, title, level: 1 });
    const parts = [`<h1 id="${id}">${title}</h1>`];
    for (let s = 1; s <= sections; s++) {
      for (let p = 0; p < paragraphs; p++) parts.push(paragraph(c + s + p));
      const sid = `abschnitt-${c}-${s}`;
      const stitle = `${c}.${s} Indikator ${c}.${s} im Zeitverlauf`;
      toc.push({ id: sid, title: stitle, level: 2 });
      parts.push(`<h2 id="${sid}">${stitle}</h2>`, figure(++figureNo, `Indikator ${c}.${s}`));
    }
    parts.push(table(c));
    parts.push('<div class="footnotes"><ol><li>Vorläufiger Wert (Kennzeichen p).</li></ol></div>');
    body.push(`<section class="chapter">${parts.join('')}</section>`);
  }
  // A chapter that holds nothing but a chart: its page must contain no raster image.
  toc.push({ id: 'karte', title: `${chapters + 1} Karte`, level: 1 });
  body.push(
    `<section class="chapter"><h1 id="karte">${chapters + 1} Karte</h1>` +
      `${figure(++figureNo, 'Nur Vektorgrafik')}</section>`,
  );
  toc.push({ id: 'glossar', title: 'Glossar', level: 1 });
  body.push(
    '<section class="chapter"><h1 id="glossar">Glossar</h1><dl class="glossary">' +
      '<dt>Übergangsquote</dt><dd>Anteil der Kinder, die nach der Grundschule auf eine ' +
      'bestimmte Schulart wechseln.</dd><dt>Kennzeichen p</dt><dd>Vorläufiger Wert.</dd>' +
      '</dl></section>',
  );

  const tocItems = toc
    .map(
      (e) =>
        `<li class="toc-${e.level}"><a href="#${e.id}">${e.title}` +
        `<span class="toc-page" data-target="${e.id}"></span></a></li>`,
    )
    .join('');
  const html = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Bildungsbericht Musterkreis 2026</title>
<style>${PRINT_CSS}</style></head>
<body>
<div class="cover"><div><h1 class="title">Bildungsbericht 2026</h1>
<p class="subtitle">Synthetischer Testbericht</p><p class="region">Musterkreis</p></div>
<div><p class="stand">Stand: 1. Oktober 2026</p><p class="release">Datenstand: Release 2026-09</p></div></div>
<nav class="toc"><h2>Inhalt</h2><ol>${tocItems}</ol></nav>
${body.join('\n')}
</body></html>`;
  return { html, toc };
}
