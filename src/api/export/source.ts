/**
 * The provenance of a download, as the "Quelle" sheet of the workbook shows it: what the
 * indicator measures, where the numbers come from and under which licence, what every sign and
 * label in the table means, and when the file was made. dl-de/by-2-0 requires the attribution
 * to travel with the data, so it is part of the file, not only of the page that links to it.
 */
import { FLAG_LABELS_DE, type Source } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { ValueRow } from '../values.ts';
import {
  METHOD_LABELS_DE,
  METHOD_LEGEND_DE,
  SUPPRESSION_LABELS_DE,
  SUPPRESSION_LEGEND_DE,
  flagsIn,
  periodLabel,
  periodsOf,
} from './table.ts';

export const DL_DE_BY_2_0 = 'Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)';
export const ATTRIBUTION_DESTATIS = '© Statistische Ämter des Bundes und der Länder';

export interface ExportSource {
  /** The tables the values come from, e.g. "GENESIS-Online, Tabelle 21111-02-06-4". */
  tables: string[];
  /** Stand of the data: an ISO date (shown as 31.12.2024) or free text. */
  stand?: string | null;
  licence: string;
  /** Attribution line; default: the Statistische Ämter des Bundes und der Länder. */
  attribution?: string;
}

/** One line of the Quelle sheet: a bold heading, or a label with its text. */
export type SourceLine = { heading: string } | { label: string; text: string };

/** ISO dates read as German dates; anything else is shown as given. */
export function germanDate(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : s;
}

/** "01.05.2024, 14:00 Uhr", in German time whatever the server's time zone is. */
export function germanTimestamp(at: Date): string {
  const parts = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value;
  return `${p('day')}.${p('month')}.${p('year')}, ${p('hour')}:${p('minute')} Uhr`;
}

/**
 * The export source for an indicator from the store's source list: its tables with database,
 * the latest Stand, and the licence spelt out (the store keeps the short code dl-de/by-2-0).
 */
export function exportSourceOf(indicator: Indicator, sources: Source[]): ExportSource {
  const used = sources.filter((s) => indicator.sources.includes(s.tableCode));
  const stands = used.map((s) => s.stand).filter((s): s is string => Boolean(s));
  const licences = [...new Set(used.map((s) => s.licence.trim()).filter(Boolean))];
  const isDlDe = (l: string) => /dl-de\/by-2[.-]0/i.test(l);
  return {
    tables:
      used.length > 0
        ? [...new Set(used.map((s) => `${s.database}, Tabelle ${s.tableCode}`))]
        : indicator.sources,
    stand: stands.length > 0 ? stands.sort()[stands.length - 1] : null,
    licence:
      licences.length === 0 || licences.every(isDlDe)
        ? DL_DE_BY_2_0
        : licences.map((l) => (isDlDe(l) ? DL_DE_BY_2_0 : l)).join('; '),
  };
}

export interface SourceInput {
  indicator: Indicator;
  rows: ValueRow[];
  source: ExportSource;
  generatedAt: Date;
}

export function sourceLines({ indicator, rows, source, generatedAt }: SourceInput): SourceLine[] {
  const periods = periodsOf(rows).map((p) => periodLabel(indicator, p));
  const first = periods[0];
  const last = periods[periods.length - 1];
  const tables = source.tables.length > 0 ? source.tables : indicator.sources;
  const d = indicator.decimals;
  const lines: SourceLine[] = [
    { heading: 'Indikator' },
    { label: 'Kennung', text: indicator.id },
    { label: 'Titel', text: indicator.title_de },
    { label: 'Definition', text: indicator.definition_de },
    { label: 'Einheit', text: indicator.unit },
    {
      label: 'Rundung',
      text: `Werte auf ${d} ${d === 1 ? 'Nachkommastelle' : 'Nachkommastellen'} gerundet`,
    },
    {
      label: 'Zeitraum',
      text:
        first === undefined || last === undefined
          ? 'keine Werte'
          : first === last
            ? first
            : `${first} bis ${last}`,
    },
    { heading: 'Quelle' },
    { label: 'Tabellen', text: tables.join('; ') },
  ];
  if (source.stand) lines.push({ label: 'Stand', text: germanDate(source.stand) });
  lines.push(
    { label: 'Lizenz', text: source.licence },
    { label: 'Namensnennung', text: source.attribution ?? ATTRIBUTION_DESTATIS },
  );
  if (indicator.caveats_de.trim() !== '')
    lines.push({ label: 'Hinweise', text: indicator.caveats_de.trim() });

  lines.push({ heading: 'Zeichenerklärung' });
  const flags = flagsIn(rows);
  if (flags.length === 0)
    lines.push({ label: '', text: 'In den Werten kommen keine Zeichen vor.' });
  for (const f of flags) lines.push({ label: f, text: FLAG_LABELS_DE[f] });

  lines.push({ heading: 'Geheimhaltung' });
  for (const k of ['primary', 'secondary'] as const)
    lines.push({ label: SUPPRESSION_LABELS_DE[k], text: SUPPRESSION_LEGEND_DE[k] });

  lines.push({ heading: 'Berechnung' });
  const methods = new Set(rows.map((r) => r.method));
  for (const m of Object.keys(METHOD_LABELS_DE) as ValueRow['method'][])
    if (methods.has(m)) lines.push({ label: METHOD_LABELS_DE[m], text: METHOD_LEGEND_DE[m] });
  lines.push({
    label: 'Fehlerschranke',
    text: 'größtmögliche Abweichung des Werts durch gerundete Eingangswerte, auf die gezeigten Nachkommastellen aufgerundet (0 = exakt)',
  });

  lines.push(
    { heading: 'Datei' },
    { label: 'Erstellt', text: `erstellt am ${germanTimestamp(generatedAt)} mit bimo` },
  );
  return lines;
}
