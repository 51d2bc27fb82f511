/**
 * GENESIS cube file ("Datenquader", API `data/cubefile`): record-type lines, `K;<block>;…` opens a
 * block and `D;…` lines belong to it. DQA lists the axes (Merkmale) in order, DQZ the time axis,
 * DQI the value variables with unit; each QEI data line holds one attribute code per axis, the
 * time, then per value variable WERT;QUALITAET;GESPERRT;WERT-VERFAELSCHT. Decimal point.
 */
import { parseCell, type Cell } from '../../../domain/index.ts';
import type { ParsedFile, RawRecord } from '../../records.ts';
import type { ImportIssue } from '../../report.ts';

const REGION_MERKMALE = /^(DINSG|DG|DLAND|REGBEZ|KREISE|GEMEIN|FAMTGEM|GEO[A-Z]+\d*)$/;

export function detect(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, 4);
  const first = lines.find((l) => !l.startsWith('*')) ?? '';
  return first.startsWith('K;DQ;');
}

function cellOf(raw: string, quality: string, locked: string): Cell | null {
  if (locked.trim() !== '') return { value: null, flag: '.' };
  const text = raw.trim();
  const cell = /^-?\d+(\.\d+)?$/.test(text) ? { value: Number(text), flag: null } : parseCell(text);
  if (!cell) return null;
  const q = quality.trim();
  if (cell.value !== null && (q === 'p' || q === 'r' || q === 's'))
    return { value: cell.value, flag: q };
  return cell;
}

export function parse(text: string): ParsedFile {
  const issues: ImportIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let block = '';
  let cubeName = '';
  let statistic: string | null = null;
  const axes: string[] = [];
  const valueVars: { code: string; unit: string }[] = [];
  const records: RawRecord[] = [];
  let rows = 0;
  lines.forEach((line, idx) => {
    const lineNo = idx + 1;
    if (line.trim() === '' || line.startsWith('*')) return;
    const f = line.split(';');
    if (f[0] === 'K') {
      block = f[1] ?? '';
      return;
    }
    if (f[0] !== 'D') {
      issues.push({
        severity: 'error',
        line: lineNo,
        column: 1,
        code: 'BIMO_E_PARSE',
        message: `a cube line must start with K or D, found "${line.slice(0, 30)}"`,
        fix: 'Download the cube file again; it seems edited or cut.',
      });
      return;
    }
    switch (block) {
      case 'DQ':
        cubeName = f[1] ?? '';
        break;
      case 'DQ-ERH':
        statistic = f[1] ?? null;
        break;
      case 'DQA':
        axes.push(f[1] ?? '');
        break;
      case 'DQI':
        valueVars.push({ code: f[1] ?? '', unit: f[2] ?? '' });
        break;
      case 'QEI': {
        rows++;
        const keys = f.slice(1, 1 + axes.length);
        const time = f[1 + axes.length] ?? '';
        const regionAxis = axes.findIndex((a) => REGION_MERKMALE.test(a));
        if (regionAxis < 0) return;
        valueVars.forEach((vv, k) => {
          const base = 2 + axes.length + k * 4;
          const raw = f[base] ?? '';
          const cell = cellOf(raw, f[base + 1] ?? '', f[base + 2] ?? '');
          const column = f.slice(0, base).join(';').length + 2;
          if (!cell) {
            issues.push({
              severity: 'error',
              line: lineNo,
              column,
              code: 'BIMO_E_PARSE',
              message: `"${raw}" is neither a number nor a special sign`,
              fix: 'Download the cube file again.',
            });
            return;
          }
          records.push({
            line: lineNo,
            column,
            period: time,
            regionKey: keys[regionAxis] ?? '',
            regionName: keys[regionAxis] ?? '',
            variable: { code: vv.code, label: vv.code, unit: vv.unit },
            dims: axes
              .map((a, j) => ({
                code: a,
                label: a,
                itemCode: keys[j] ?? '',
                itemLabel: keys[j] ?? '',
              }))
              .filter((_, j) => j !== regionAxis),
            cell,
            raw,
          });
        });
        break;
      }
      default:
        break;
    }
  });
  if (axes.length === 0 || valueVars.length === 0) {
    issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: 'the cube file has no axis (DQA) or value (DQI) description',
      fix: 'Download the cube file again without removing lines.',
    });
  } else if (!axes.some((a) => REGION_MERKMALE.test(a))) {
    issues.push({
      severity: 'error',
      line: 1,
      column: 1,
      code: 'BIMO_E_PARSE',
      message: `the cube has no regional axis (axes: ${axes.join(', ')})`,
      fix: 'bimo stores regional data; choose a cube with a regional breakdown (DINSG, DLAND, KREISE, GEMEIN).',
    });
  }
  return {
    format: 'cube',
    tableCode: cubeName || 'cube',
    title: `Datenquader ${cubeName}`,
    statistic,
    stand: null,
    footnotes: '',
    copyright: '',
    rowCount: rows,
    records,
    issues,
  };
}
