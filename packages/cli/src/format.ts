import type { CommandFormatter } from "@msint/auth-core/internal";
import { UsageError } from "@msint/integration-kit";

/**
 * How human output looks. `table`: aligned columns and plain headings, for a person at a terminal. `markdown`:
 * the War Room's markdown tables, unchanged, for pipes, files and anything that renders markdown.
 */
export type OutputFormat = "table" | "markdown";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "markdown"];

/**
 * The format of this run: `--format` when given, else MSINT_FORMAT, else aligned columns on a terminal and the
 * markdown of earlier versions everywhere else (scripts that read it keep working).
 */
export function chooseFormat(
  given: string | undefined,
  isTerminal: boolean,
  env: NodeJS.ProcessEnv = process.env,
): OutputFormat {
  const value = given ?? env["MSINT_FORMAT"];
  if (value === undefined || value === "") return isTerminal ? "table" : "markdown";
  const format = value.toLowerCase();
  if (format === "table" || format === "markdown") return format;
  throw new UsageError(`--format takes table or markdown, not "${value.slice(0, 40)}" (--json prints JSON).`);
}

/** One shell word: bare when it is plainly safe, else single-quoted (a `'` inside becomes `'\''`). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** How the CLI names a command in hints: the `msint run` line to paste into a POSIX shell, instance included. */
export function shellCommandFormatter(instance: string): CommandFormatter {
  return (command, args = {}) =>
    [
      "msint run",
      command,
      ...Object.entries(args).map(([name, value]) => `${name}=${shellQuote(value)}`),
      "--instance",
      shellQuote(instance),
    ].join(" ");
}

function unescapeCell(cell: string): string {
  return cell
    .replace(/<br>/g, " / ")
    .replace(/\\([\\|])/g, "$1")
    .trim();
}

/** The cells of a markdown table row `|a|b\|c|`. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = "";
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "\\" && i + 1 < body.length) {
      current += char + body[i + 1];
      i++;
    } else if (char === "|") {
      cells.push(current);
      current = "";
    } else current += char;
  }
  cells.push(current);
  return cells.map(unescapeCell);
}

/** Display width: a wide character (CJK, emoji) takes two columns. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    columns +=
      code >= 0x1100 &&
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u.test(
        char,
      )
        ? 2
        : 1;
  }
  return columns;
}

function pad(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - width(text)));
}

/** Rows as aligned columns: a header line, then one line per row, two spaces between columns. */
export function alignColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, index) =>
    Math.max(width(title), ...rows.map((row) => width(row[index] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : pad(cell, widths[index]!)))
      .join("  ")
      .trimEnd();
  return [line(header.map((title) => title.toUpperCase())), ...rows.map(line)].join("\n");
}

const SEPARATOR = /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/;

/**
 * The markdown a command prints, for a terminal: tables as aligned columns, `### Title` as a plain title,
 * `**bold**` and code fences unmarked, links as `text (url)` (or the URL when it is its own text).
 */
export function markdownForTerminal(markdown: string): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith("|") && SEPARATOR.test(lines[i + 1] ?? "")) {
      const header = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trimStart().startsWith("|")) rows.push(splitRow(lines[i++]!));
      i--;
      out.push(alignColumns(header, rows));
      continue;
    }
    if (/^\s*(```|~~~~)/.test(line)) continue;
    out.push(
      line
        .replace(/^#{1,6}\s+/, "")
        .replace(/\*\*(.+?)\*\*/g, "$1")
        .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (_all, text: string, url: string) =>
          text === url || text === "" ? url : `${text} (${url})`,
        ),
    );
  }
  return out.join("\n");
}

/** Human output of a data command in the chosen format. */
export function renderHuman(markdown: string, format: OutputFormat): string {
  return format === "markdown" ? markdown : markdownForTerminal(markdown);
}
