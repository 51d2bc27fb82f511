/**
 * Test support only: builds .xlsx packages from XML text with fflate, so tests can reach every
 * cell type and damage any part on purpose.
 */
import { strToU8, zipSync } from 'fflate';

export const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function workbookXml(names: string[]): string {
  const sheets = names
    .map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>${sheets}</sheets></workbook>`;
}

export function relsXml(targets: string[], sst = 'sharedStrings.xml'): string {
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="${REL_NS}/${type}" Target="${target}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${targets
    .map((t, i) => rel(`rId${i + 1}`, 'worksheet', t))
    .join('')}${rel('rIdS', 'sharedStrings', sst)}</Relationships>`;
}

export const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;

/** A package from parts given as text (level 0 stores them uncompressed). */
export function pack(parts: Record<string, string>, level: 0 | 6 = 6): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)])), {
    level,
  });
}

export const SST = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}" count="4" uniqueCount="4">
<si><t>Kennziffer</t></si>
<si><r><rPr><b/></rPr><t>Dü</t></r><r><t xml:space="preserve">ren </t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>
<si><t>a_x000D_b &amp; &lt;c&gt; &#8364;</t></si>
<si><t/></si>
</sst>`;

export const SHEET1 = sheetXml(
  [
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>',
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>12.5</v></c><c r="C2" s="3"><v>44561</v></c><c r="D2" t="n"><v>1.2345678901234567E-5</v></c></row>',
    '<row><c t="s"><v>2</v></c><c><f>B2*2</f><v>25</v></c><c t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c></row>',
    '<row r="5"><c r="B5"><f>NA()</f></c><c r="C5" t="s"><v>3</v></c><c t="b"><v>0</v></c><c r="F5"><v>-0</v></c></row>',
  ].join(''),
);

export const SHEET2 = `<x:worksheet xmlns:x="${NS}"><x:sheetData><x:row r="2"><x:c r="B2"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`;

export const BUILT = pack({
  '[Content_Types].xml':
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  'xl/workbook.xml': workbookXml(['Daten', 'Zweite']),
  'xl/_rels/workbook.xml.rels': relsXml(['worksheets/sheet1.xml', '/xl/worksheets/sheet2.xml']),
  'xl/sharedStrings.xml': SST,
  'xl/worksheets/sheet1.xml': SHEET1,
  'xl/worksheets/sheet2.xml': SHEET2,
});
