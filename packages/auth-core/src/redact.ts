import { ownRecord } from "./own.js";
import { processWide } from "./process-wide.js";

/** What every secret is replaced with in logs, error messages and outputs. */
export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not registered: replacing "abc" everywhere would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Query and form keys whose values are secret wherever they appear (compared case-insensitively).
 * `code` is an authorization code, `sig` the signature of an Azure Storage SAS token.
 */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  "client_secret",
  "code",
  "refresh_token",
  "access_token",
  "id_token",
  "client_assertion",
  "assertion",
  "device_code",
  "code_verifier",
  "sig",
  "password",
  "token",
  "secret",
  "api_key",
  "apikey",
  "subscription-key",
]);

/** Replaces registered secrets with {@link REDACTED}. */
export interface Redactor {
  /** Registers a secret; empty, missing and very short values (< 4 characters) are ignored. */
  add(secret: string | undefined | null): void;
  /** Returns `text` with every registered secret (raw, URL-encoded, form-encoded, base64) replaced. */
  redact(text: string): string;
}

/** Creates an independent redactor, optionally seeded with secrets. */
export function createRedactor(initial: Iterable<string | undefined | null> = []): Redactor {
  const needles = new Set<string>();
  // Longest first, so a secret that contains another one is replaced whole.
  let ordered: string[] = [];

  const add = (secret: string | undefined | null) => {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
    const before = needles.size;
    for (const form of encodedForms(secret)) {
      if (form.length >= MIN_SECRET_LENGTH) needles.add(form);
    }
    if (needles.size !== before) ordered = [...needles].sort((a, b) => b.length - a.length);
  };

  for (const secret of initial) add(secret);

  return {
    add,
    redact(text: string): string {
      if (typeof text !== "string") return text;
      let result = text;
      for (const needle of ordered) {
        if (result.includes(needle)) result = result.split(needle).join(REDACTED);
      }
      return result;
    },
  };
}

function encodedForms(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  const base64 = Buffer.from(secret, "utf8").toString("base64");
  forms.push(base64, base64.replace(/=+$/, ""), Buffer.from(secret, "utf8").toString("base64url"));
  return forms;
}

/**
 * The process-wide redactor: strategies register the secrets of the instance they run, and the default logger
 * and error translators use it. One per process (`globalThis[Symbol.for("msint.redactor")]`), shared by every
 * installed copy of msint: a secret one copy registers is masked by all.
 */
export function getRedactor(): Redactor {
  return processWide("redactor", () => createRedactor());
}

const KEY_VALUE = /([?&#;]|^)([^=&#;?]+)=([^&#;]*)/g;

function isSensitiveKey(rawKey: string): boolean {
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, " "));
  } catch {
    // A malformed escape: compare the raw key.
  }
  return SENSITIVE_KEYS.has(key.trim().toLowerCase());
}

function redactPairs(text: string): string {
  return text.replace(KEY_VALUE, (whole, lead: string, key: string, value: string) =>
    value !== "" && isSensitiveKey(key) ? `${lead}${key}=${REDACTED}` : whole,
  );
}

/**
 * Removes secrets from a URL while keeping its shape: values of sensitive query and fragment keys
 * (`client_secret`, `code`, `sig`, …) and the password of `user:password@` userinfo.
 * Works on strings that are not valid URLs too; never throws.
 */
export function redactUrl(url: string): string {
  if (typeof url !== "string" || url === "") return url;
  const split = url.search(/[?#]/);
  let base = split === -1 ? url : url.slice(0, split);
  const rest = split === -1 ? "" : url.slice(split);
  base = base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]*)@/i, (_whole, head: string) => {
    return `${head}${REDACTED}@`;
  });
  return base + redactPairs(rest);
}

/** Removes the values of sensitive keys from an `application/x-www-form-urlencoded` body. */
export function redactForm(body: string): string {
  if (typeof body !== "string" || body === "") return body;
  return body
    .split("&")
    .map((pair) => redactPairs(pair))
    .join("&");
}

const SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-identity-header",
  "x-ms-authorization-auxiliary",
  "ocp-apim-subscription-key",
  "x-functions-key",
  "api-key",
  "x-api-key",
  "secret",
]);

function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name) || /^x-ms-.*key$/.test(name) || /(^|-)(token|secret)$/.test(name);
}

/**
 * Copies headers with lower-case names, replacing secret values. For `Authorization`-style headers the scheme
 * (`Bearer`, `Basic`) is kept because it helps debugging and reveals nothing.
 */
export function redactHeaders(
  headers: Record<string, string | number | readonly string[] | undefined> | undefined,
): Record<string, string> {
  const result = ownRecord<string>(); // header names come from servers
  if (!headers) return result;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(rawValue) ? rawValue.join(", ") : String(rawValue);
    if (!isSensitiveHeader(name)) {
      result[name] = value;
      continue;
    }
    const scheme = /^(bearer|basic|pop|negotiate|ntlm|digest)\s+/i.exec(value);
    result[name] =
      scheme && (name === "authorization" || name === "proxy-authorization")
        ? `${scheme[1]} ${REDACTED}`
        : REDACTED;
  }
  return result;
}
