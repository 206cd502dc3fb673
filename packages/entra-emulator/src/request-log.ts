import type { RecordedRequest } from "./types.js";

/** Query and form parameters whose values are secrets (or single-use grants) and never logged. */
const SECRET_PARAMETERS = new Set([
  "client_secret",
  "client_assertion",
  "assertion",
  "code",
  "code_verifier",
  "refresh_token",
  "access_token",
  "id_token",
  "device_code",
  "password",
  "token",
  "subject_token",
  "actor_token",
  "otc",
  "user_code",
  "encrypted_token",
  "key",
]);

const SECRET_HEADER = /authorization|cookie|secret|token|password|api-key|x-identity-header|x-functions-key/i;

export const REDACTED = "<redacted>";

/** Headers with secret values replaced; the auth scheme survives (`Bearer <redacted>`). */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const safe: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADER.test(name)) {
      safe[name] = value;
    } else if (/authorization/i.test(name)) {
      const scheme = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s/.exec(value)?.[1];
      safe[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      safe[name] = REDACTED;
    }
  }
  return safe;
}

export function redactParameters(parameters: URLSearchParams): Record<string, string> {
  const safe: Record<string, string> = Object.create(null);
  for (const [name, value] of parameters) {
    safe[name] = SECRET_PARAMETERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return safe;
}

/** The request log: an array kept in place (callers hold a reference), trimmed in batches past its limit. */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  constructor(
    private readonly limit: number,
    private readonly onAnswered?: (entry: RecordedRequest) => void,
  ) {}

  /** A request was answered (its status is set): tells the `onRequest` listener, which must not throw. */
  answered(entry: RecordedRequest): void {
    try {
      this.onAnswered?.(entry);
    } catch {
      // A listener's failure never breaks the answer.
    }
  }

  push(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.limit > 0 && this.entries.length > this.limit + Math.ceil(this.limit / 10)) {
      this.entries.splice(0, this.entries.length - this.limit);
    }
  }

  clear(): void {
    this.entries.length = 0;
  }
}
