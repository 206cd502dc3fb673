// Text that came from outside (a server's answer, API data, a callback, a file) is never allowed to steer the
// terminal it is printed on. These helpers are applied once, where text leaves the process (the CLI's stdout and
// stderr, the logger's sink), not by each producer.

/**
 * Characters that can act on a terminal or reorder what it shows: C0 controls (ESC starts CSI and OSC sequences,
 * BEL rings, BS and CR overwrite), DEL, the C1 controls U+0080–U+009F (U+009B is a one-byte CSI on terminals that
 * take 8-bit controls), the bidirectional embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069
 * ("Trojan Source"), and the line and paragraph separators U+2028/U+2029.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEPING_NEWLINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ANY_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Options of {@link neutralizeControls}. */
export interface NeutralizeOptions {
  /** Keep line feeds (multi-line output); false for a log line, which must stay one line. Default true. */
  newlines?: boolean;
}

/**
 * Makes terminal control characters visible and inert: each becomes its `\uXXXX` escape (ESC → `\u001b`, the C1
 * CSI → `\u009b`, RLO → `\u202e`). Tab is kept, and line feed unless `newlines: false`. The escape is also valid
 * inside a JSON string, where it means the same character: JSON output stays parseable and lossless.
 */
export function neutralizeControls(text: string, options: NeutralizeOptions = {}): string {
  if (!ANY_UNSAFE.test(text)) return text; // the common case: nothing to do, no copy
  return text.replace(options.newlines === false ? UNSAFE : UNSAFE_KEEPING_NEWLINES, escapeChar);
}

/** Whether `text` holds a character {@link neutralizeControls} would escape (line feed counts only if asked). */
export function hasControls(text: string, options: NeutralizeOptions = {}): boolean {
  return (options.newlines === false ? ANY_UNSAFE : UNSAFE_KEEPING_NEWLINES).test(text);
}

/** How many characters of a server's error text a message shows (2 KiB); the rest is cut and counted. */
export const SERVER_TEXT_SHOWN_CHARS = 2048;

/**
 * At most `limit` characters of a server's text, saying how many were cut: `…(1234 more characters cut)`. Cuts
 * between UTF-16 surrogates never split a character.
 */
export function truncateServerText(text: string, limit = SERVER_TEXT_SHOWN_CHARS): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // do not leave half of a surrogate pair
  return `${text.slice(0, end)}… (${text.length - end} more characters cut)`;
}
