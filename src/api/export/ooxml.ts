/**
 * The fixed parts of an Office Open XML workbook (package relationships, content types, styles,
 * document properties) and the escaping every text needs on its way into XML. Kept to what Excel
 * and LibreOffice require of a minimal workbook, in the element order the schema prescribes —
 * Excel refuses a file whose elements are out of order even when every element is valid.
 */

export const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Cell style indexes into `cellXfs` of styles.xml. */
export const STYLE = { normal: 0, header: 1, decimals: 2, label: 3, wrap: 4 } as const;

/** `&`, `<`, `>` and `"` as entities: enough for element text and double-quoted attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');

/**
 * Characters XML 1.0 cannot carry go through `control`; CR too, because an XML parser would turn
 * it into LF. Lone surrogates cannot be encoded at all and become U+FFFD.
 */
function cleanChars(s: string, control: (code: number) => string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else out += '\uFFFD';
    } else if (code >= 0xdc00 && code <= 0xdfff) out += '\uFFFD';
    else if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0xfffe || code === 0xffff)
      out += control(code);
    else out += s[i];
  }
  return out;
}

/**
 * Text as a cell holds it (ST_Xstring): the characters of cleanChars as `_xHHHH_`, and a literal
 * `_xHHHH_` in the text protected as `_x005F_xHHHH_` so that no reader unescapes it. The result
 * still needs escapeXml.
 */
export function xstring(s: string): string {
  return cleanChars(s.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_'), (c) => `_x${hex4(c)}_`);
}

/** Plain text for parts that are not cells (titles, sheet names): such characters become spaces. */
export function plainXml(s: string): string {
  return escapeXml(cleanChars(s, () => ' '));
}

export function contentTypesXml(sheetCount: number): string {
  const sheets = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`,
  ).join('');
  return (
    XML_DECL +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
    sheets +
    `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '</Types>'
  );
}

export function packageRelsXml(): string {
  return (
    XML_DECL +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="${NS_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>` +
    '</Relationships>'
  );
}

/** Workbook relationships: the sheets as rId1…rIdN, then the styles. */
export function workbookRelsXml(sheetCount: number): string {
  const rels = Array.from(
    { length: sheetCount },
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join('');
  return (
    XML_DECL +
    `<Relationships xmlns="${NS_PKG_REL}">${rels}` +
    `<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    '</Relationships>'
  );
}

/**
 * The sheets, and the hidden `_xlnm._FilterDatabase` name Excel itself writes for an autofilter
 * (without it Excel still filters, but re-creates the name and asks to save on close).
 */
export function workbookXml(sheetNames: string[], filter: { sheet: number; ref: string }): string {
  const sheets = sheetNames
    .map((n, i) => `<sheet name="${plainXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const name = sheetNames[filter.sheet] ?? '';
  return (
    XML_DECL +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${sheets}</sheets>` +
    `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="${filter.sheet}" hidden="1">` +
    // Our sheet names are plain letters, so the reference needs no quotes.
    `${plainXml(name)}!${filter.ref}</definedName></definedNames>` +
    '</workbook>'
  );
}

/** `0.0` for one decimal; the built-in format 1 (`0`) for none. */
function decimalsFormat(decimals: number): { id: number; code: string | null } {
  return decimals <= 0 ? { id: 1, code: null } : { id: 164, code: `0.${'0'.repeat(decimals)}` };
}

/** Styles in the order of STYLE: normal, bold header, decimals, bold top label, wrapped text. */
export function stylesXml(decimals: number): string {
  const fmt = decimalsFormat(decimals);
  const numFmts = fmt.code
    ? `<numFmts count="1"><numFmt numFmtId="${fmt.id}" formatCode="${fmt.code}"/></numFmts>`
    : '';
  const font = (bold: boolean) =>
    `<font>${bold ? '<b/>' : ''}<sz val="11"/><name val="Calibri"/><family val="2"/></font>`;
  const xf = (numFmtId: number, fontId: number, extra = '') =>
    `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"` +
    `${numFmtId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}` +
    (extra ? ` applyAlignment="1"><alignment ${extra}/></xf>` : '/>');
  return (
    XML_DECL +
    `<styleSheet xmlns="${NS_MAIN}">${numFmts}` +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="5">${xf(0, 0)}${xf(0, 1)}${xf(fmt.id, 0)}` +
    `${xf(0, 1, 'vertical="top"')}${xf(0, 0, 'vertical="top" wrapText="1"')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Standard" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}

/** Title and creation time; `created` without milliseconds, as W3CDTF readers expect. */
export function coreXml(title: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    XML_DECL +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${plainXml(title)}</dc:title><dc:creator>bimo</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}
