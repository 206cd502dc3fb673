/**
 * What a command returns: markdown for people (what the War Room shows), structured outputs under a context
 * path, and the raw API response.
 */
export interface CommandResult {
  readable: string;
  /** Context path of the outputs, e.g. `MSGraphUser`. */
  outputsPrefix?: string;
  /** Field that identifies an output entry, e.g. `ID`. */
  outputsKeyField?: string;
  outputs?: unknown;
  /**
   * Further context entries beside `outputsPrefix`, by context path (XSOAR's standard ones such as `Account` or
   * `Endpoint`), as a playbook reads them.
   */
  additionalOutputs?: Readonly<Record<string, unknown>>;
  raw?: unknown;
  /** Notes for the person running the command, printed apart from the result (e.g. a deprecated name). */
  notices?: readonly string[];
}

type Cell = string | number | boolean | null | undefined | readonly unknown[] | Record<string, unknown>;

function cellText(value: Cell | unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => cellText(item)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function escapeCell(text: string): string {
  // A pipe would start a new cell and a line break (CR, LF, CRLF, U+2028/9) a new row: neither may come from data.
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r\n|[\r\n\u2028\u2029]/g, "<br>");
}

function isRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Renders rows as a markdown table with a `### title` heading; the columns are `headers` in that order, or the
 * keys of the rows in first-seen order. An empty list renders "**No entries.**" as XSOAR does.
 */
export function tableToMarkdown(
  title: string,
  rows: readonly Record<string, unknown>[] | Record<string, unknown>,
  headers?: readonly string[],
): string {
  // A row that is not an object (a string from a misbehaving API) is one "Value" cell, never a column per
  // character; a title stays one line.
  const list = (Array.isArray(rows) ? rows : [rows]).map((row: unknown) =>
    isRow(row) ? row : { Value: row },
  );
  const lines = [`### ${title.replace(/\r\n|[\r\n\u2028\u2029]/g, " ")}`];
  if (list.length === 0) {
    lines.push("**No entries.**");
    return `${lines.join("\n")}\n`;
  }
  const columns = headers ? [...headers] : [...new Set(list.flatMap((row) => Object.keys(row)))];
  lines.push(`|${columns.map((column) => escapeCell(column)).join("|")}|`);
  lines.push(`|${columns.map(() => "---").join("|")}|`);
  for (const row of list) {
    lines.push(`|${columns.map((column) => escapeCell(cellText(row[column]))).join("|")}|`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Markdown for a text file's content: a heading with its size in bytes, then the text in a fence, cut after
 * `shownChars` characters (the command's outputs keep all of it).
 */
export function textContentMarkdown(title: string, content: string, shownChars = 4000): string {
  const shown =
    content.length > shownChars
      ? `${content.slice(0, shownChars)}\n… (${content.length - shownChars} more characters: use --json for all of it)`
      : content;
  const fence = content.includes("```") ? "~~~~" : "```";
  return `### ${title} (${Buffer.byteLength(content)} bytes)\n\n${fence}\n${shown}\n${fence}\n`;
}

/** The line after a listing that stopped at its `limit` while there was more. */
export function moreEntriesNote(more: boolean, maxLimit: number): string {
  return more ? `\nThere are more: raise limit (at most ${maxLimit}) or narrow prefix.\n` : "";
}
