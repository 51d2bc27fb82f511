/**
 * The error catalogue: stable codes, each with a message that names the cause and the fix,
 * mapped once to an HTTP status and a CLI exit code. docs/errors.md documents every code
 * (a test fails when one is missing).
 */

export const ERROR_CODES = {
  BIMO_E_FILE_NOT_FOUND: { http: 404, exit: 66 },
  BIMO_E_FORMAT_UNKNOWN: { http: 415, exit: 65 },
  BIMO_E_PARSE: { http: 422, exit: 65 },
  BIMO_E_NO_RECIPE: { http: 422, exit: 65 },
  BIMO_E_REGION_UNKNOWN: { http: 404, exit: 65 },
  BIMO_E_INDICATOR_UNKNOWN: { http: 404, exit: 64 },
  BIMO_E_BAD_REQUEST: { http: 400, exit: 64 },
  BIMO_E_TOO_LARGE: { http: 413, exit: 64 },
  BIMO_E_NOT_FOUND: { http: 404, exit: 66 },
  BIMO_E_DATA_DIR_LOCKED: { http: 503, exit: 75 },
  BIMO_E_DATABASE: { http: 500, exit: 70 },
  BIMO_E_DATABASE_UNAVAILABLE: { http: 503, exit: 69 },
  BIMO_E_CATALOG: { http: 500, exit: 78 },
  BIMO_E_BROWSER: { http: 500, exit: 69 },
  BIMO_E_REMOTE: { http: 502, exit: 69 },
  BIMO_E_REMOTE_AUTH: { http: 502, exit: 77 },
  BIMO_E_INTERNAL: { http: 500, exit: 70 },
  // Accounts and access (src/auth/, docs/accounts.md).
  BIMO_E_UNAUTHENTICATED: { http: 401, exit: 77 },
  BIMO_E_FORBIDDEN: { http: 403, exit: 77 },
  BIMO_E_RATE_LIMITED: { http: 429, exit: 75 },
  BIMO_E_CONFLICT: { http: 409, exit: 73 },
  BIMO_E_PASSWORD_POLICY: { http: 422, exit: 65 },
  // Static export (src/publish/, docs/operations.md): a broken link, a leak or a failed page.
  BIMO_E_PUBLISH: { http: 500, exit: 65 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class BimoError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it. */
  readonly fix: string;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    fix: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BimoError';
    this.code = code;
    this.fix = fix;
    this.details = details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/** The one JSON envelope for errors, shared by the API and `--format json` CLI output. */
export function errorEnvelope(err: BimoError): {
  error: { code: ErrorCode; message: string; fix: string; details: Record<string, unknown> };
} {
  return { error: { code: err.code, message: err.message, fix: err.fix, details: err.details } };
}
