import { StoreError } from "@msint/auth-core";

/**
 * The URL with its password (and any `password` query parameter) removed: what messages and `msint store
 * status` may show.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    for (const name of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(name)) parsed.searchParams.set(name, "***");
    }
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/** True for postgres:// and postgresql:// URLs. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(value.trim());
}

/** Error codes of node's sockets and of PostgreSQL that mean "the connection went away; try again". */
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300", // too_many_connections
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether an operation that failed with `error` may be tried again on a new connection. */
export function isTransient(error: unknown): boolean {
  if (StoreError.isInstance(error)) return false;
  const code = codeOf(error);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isTransient);
  return /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|Connection ended|not queryable/i.test(
    messageOf(error),
  );
}

/**
 * A driver error as one clear StoreError: what failed, where (the URL without its password) and what to do.
 * Never the password, never a stack trace.
 */
export function connectionError(error: unknown, url: string, retriedMs: number): StoreError {
  const where = redactUrl(url);
  const code = codeOf(error);
  let user = "";
  try {
    user = decodeURIComponent(new URL(url).username);
  } catch {
    // the URL was checked before we got here
  }
  if (StoreError.isInstance(error)) return error;
  if (code === "28P01" || code === "28000") {
    return new StoreError(
      "unavailable",
      `PostgreSQL refused the credentials of user "${user}" at ${where}: check the user name and password in ` +
        "MSINT_STORE_URL (or --store). Nothing was changed.",
      { cause: error },
    );
  }
  if (code === "3D000") {
    return new StoreError(
      "unavailable",
      `The database of ${where} does not exist: create it (createdb) or fix the database name in MSINT_STORE_URL ` +
        "(or --store). Nothing was changed.",
      { cause: error },
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_NONAME") {
    return new StoreError(
      "unavailable",
      `The host of ${where} is unknown: fix the host name in MSINT_STORE_URL (or --store). Nothing was changed.`,
      { cause: error },
    );
  }
  if (code === "42501") {
    return new StoreError(
      "unavailable",
      `User "${user}" may not use the msint tables at ${where} (permission denied): grant it the rights of the ` +
        "role that ran msint store migrate. Nothing was changed.",
      { cause: error },
    );
  }
  if (isTransient(error)) {
    const waited = retriedMs > 0 ? ` (retried for ${Math.round(retriedMs / 1000)} s)` : "";
    return new StoreError(
      "unavailable",
      `Cannot reach the PostgreSQL store at ${where}${waited}: ${shortReason(error)}. Check that the server runs ` +
        "and that MSINT_STORE_URL (or --store) names it; nothing was changed.",
      { cause: error },
    );
  }
  return new StoreError(
    "unavailable",
    `The PostgreSQL store at ${where} failed: ${shortReason(error)}. Nothing was changed.`,
    { cause: error },
  );
}

/** The driver's reason in a few words, without anything that could hold a secret. */
function shortReason(error: unknown): string {
  const code = codeOf(error);
  if (error instanceof AggregateError && error.errors.length > 0) return shortReason(error.errors[0]);
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ETIMEDOUT") return "connection timed out";
  if (code === "ECONNRESET") return "connection reset";
  if (code === "57P01" || code === "57P02" || code === "57P03")
    return "the server is shutting down or starting";
  // PostgreSQL's own message texts name objects, never the values of parameters; still: one line, bounded.
  const text = messageOf(error).split("\n")[0]!.slice(0, 200);
  return code ? `${text} (${code})` : text;
}
