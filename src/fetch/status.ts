/**
 * The JSON status answers of the GENESIS REST API: `{Ident, Status: {Code, Content, Type},
 * Parameter, Object | List, Copyright}`. Checked with a schema at this trust boundary; the codes
 * bimo acts on are named here (restatis/pystatis and the API documentation, domain.md §3.4).
 */
import { z } from 'zod';

export const STATUS = {
  OK: 0,
  /** "erfolgreich mit Parameteranpassung": a warning, the request went through. */
  ADJUSTED: 22,
  /** "Keine aktualisierten Daten vorhanden" (only with `stand`). */
  NO_NEW_DATA: 50,
  /** "Die angeforderte Tabelle ist nicht vorhanden". */
  TABLE_NOT_FOUND: 90,
  /** "Die Tabelle ist zu gross, um im Dialog abgerufen zu werden …" → request again with job=true. */
  TOO_LARGE: 98,
  /** "Der Bearbeitungsauftrag wurde erstellt …: <job name>". */
  JOB_CREATED: 99,
  /** "Es gibt keine Objekte zum angegebenen Selektionskriterium" (also: job not finished yet). */
  NO_OBJECT: 104,
  ERROR: -1,
} as const;

const StatusSchema = z.object({
  Ident: z.object({ Service: z.string().nullish(), Method: z.string().nullish() }).nullish(),
  Status: z.object({
    Code: z.number().int(),
    Content: z.string().nullish(),
    Type: z.string().nullish(),
  }),
  List: z.array(z.object({ Code: z.string().nullish(), Content: z.string().nullish() })).nullish(),
  Copyright: z.string().nullish(),
});

export interface GenesisStatus {
  code: number;
  content: string;
  type: string;
  /** `List` of catalogue answers (e.g. finished job results). */
  list: { code: string; content: string }[];
}

/** The status of a JSON answer, or null when the text is not a GENESIS status. */
export function parseStatus(text: string): GenesisStatus | null {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  const r = StatusSchema.safeParse(json);
  if (!r.success) return null;
  return {
    code: r.data.Status.Code,
    content: (r.data.Status.Content ?? '').replace(/\s+/g, ' ').trim(),
    type: r.data.Status.Type ?? '',
    list: (r.data.List ?? []).map((e) => ({ code: e.Code ?? '', content: e.Content ?? '' })),
  };
}

/**
 * The job name in a status-99 text, e.g. "… mit folgendem Namen abgerufen werden:
 * 12531-0043_673843136" (recorded answer), possibly followed by " (Mindestens ein Parameter …".
 * Same rule as pystatis (`(?<=:\s).*_\d+`), but stopping at white space.
 */
export function jobIdOf(content: string): string | null {
  const m = /:\s+([A-Za-z0-9][A-Za-z0-9-]*_\d+)\b/.exec(content);
  return m?.[1] ?? null;
}

/** Whether a status text is about the login (wrong user, password or token). */
export function isLoginProblem(s: GenesisStatus): boolean {
  return /anmeld|login|passwort|password|kennwort|benutzerkennung|nicht berechtigt|unauthori[sz]ed|token/i.test(
    s.content,
  );
}
