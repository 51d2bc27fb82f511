/**
 * Runs an ECharts option through the server-side SVG renderer and turns the result into an
 * accessible, CSP-safe, deterministic SVG string: no <style> element, no style attributes,
 * stable ids, and a root with role="img", <title> and <desc>.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import {
  AriaComponent,
  GraphicComponent,
  GridComponent,
  MarkLineComponent,
  TitleComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { el, escapeXml } from './svg.ts';

// Registered once per process; `use` is idempotent, so importing this module twice is harmless.
echarts.use([
  BarChart,
  AriaComponent,
  GraphicComponent,
  GridComponent,
  MarkLineComponent,
  TitleComponent,
  SVGRenderer,
]);

export interface SvgChartMeta {
  width: number;
  height: number;
  /** Id prefix, unique per page when a page shows several charts. */
  idPrefix: string;
  title: string;
  desc: string;
}

/** Renders the option to an SVG string and post-processes it (see `finishEchartsSvg`). */
export function renderEchartsSvg(option: EChartsCoreOption, meta: SvgChartMeta): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: meta.width,
    height: meta.height,
  });
  try {
    chart.setOption(option);
    return finishEchartsSvg(chart.renderToSVGString(), meta);
  } finally {
    chart.dispose();
  }
}

/** CSS properties ECharts writes into `style` that have an SVG presentation attribute. */
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
  'text-decoration',
]);

const FONT_SHORTHAND =
  /^(?:(normal|italic|oblique)\s+)?(?:normal\s+|small-caps\s+)?(?:(normal|bold|bolder|lighter|\d{3})\s+)?(\d+(?:\.\d+)?px)(?:\/\S+)?\s+(.+)$/;

/** Rich text comes as `font: normal bold 11px sans-serif`; attributes have no shorthand. */
function expandFont(value: string): [string, string][] {
  const m = FONT_SHORTHAND.exec(value);
  if (m === null) throw new Error(`echarts-svg: cannot read font shorthand "${value}"`);
  const out: [string, string][] = [];
  if (m[1] !== undefined && m[1] !== 'normal') out.push(['font-style', m[1]]);
  if (m[2] !== undefined && m[2] !== 'normal') out.push(['font-weight', m[2]]);
  out.push(['font-size', m[3] ?? '12px'], ['font-family', m[4] ?? 'sans-serif']);
  return out;
}

function unescapeAttr(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * `style="font-size:12px;font-family:sans-serif;"` → `font-size="12px" font-family="sans-serif"`.
 * Declarations that are already attributes of the element are dropped (the attribute wins);
 * an unknown property is a bug to fix here, not something to ship, so it throws.
 */
function styleToAttributes(tag: string): string {
  const match = / style="([^"]*)"/.exec(tag);
  if (match === null) return tag;
  const declarations = unescapeAttr(match[1] ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  let added = '';
  for (const declaration of declarations) {
    const colon = declaration.indexOf(':');
    const name = declaration.slice(0, colon).trim();
    const value = declaration.slice(colon + 1).trim();
    const pairs: [string, string][] = name === 'font' ? expandFont(value) : [[name, value]];
    for (const [attr, v] of pairs) {
      if (!PRESENTATION.has(attr)) {
        throw new Error(`echarts-svg: unexpected style property "${attr}" in ${tag}`);
      }
      if (tag.includes(` ${attr}="`) || added.includes(` ${attr}="`)) continue;
      added += ` ${attr}="${escapeXml(v)}"`;
    }
  }
  return tag.replace(match[0], added);
}

export function finishEchartsSvg(svg: string, meta: SvgChartMeta): string {
  const ids = { title: `${meta.idPrefix}-title`, desc: `${meta.idPrefix}-desc` };
  let out = svg
    // Hover rules only; static output has no hover, and a CSP without 'unsafe-inline' drops them.
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    // zrender numbers its instances per process (zr0, zr1, …): renumber for stable output.
    .replace(/\bzr\d+-/g, `${meta.idPrefix}-`)
    .replace(/<[a-zA-Z][^>]* style="[^"]*"[^>]*>/g, styleToAttributes);
  const open = /^<svg\b[^>]*>/.exec(out);
  if (open === null) throw new Error('echarts-svg: the renderer did not return an <svg> root');
  const root = open[0].replace(
    /^<svg\b/,
    `<svg role="img" aria-labelledby="${ids.title}" aria-describedby="${ids.desc}"`,
  );
  out =
    root +
    el('title', { id: ids.title }, escapeXml(meta.title)) +
    el('desc', { id: ids.desc }, escapeXml(meta.desc)) +
    out.slice(open[0].length);
  if (/<script|<style| style="/i.test(out)) {
    throw new Error('echarts-svg: inline script or style left in the output');
  }
  return out;
}
