import { fstatSync, writeSync } from "node:fs";
import { neutralizeControls } from "@msint/auth-core/internal";
import type { CommandResult } from "@msint/integration-kit";
import { type OutputFormat, renderHuman } from "./format.js";
import { redactMessage } from "./secrets.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * The one place text leaves `msint` for a terminal: whatever it holds (a server's answer, API data, a callback's
 * parameters, a file), control characters are printed as `\uXXXX` escapes. ESC/CSI/OSC, BEL, CR, DEL, C1 and
 * bidi overrides never reach the terminal; tab and newline pass. Inside `--json` output the escapes are JSON's
 * own, so the printed JSON parses to the same values.
 */
function line(text: string): string {
  const safe = neutralizeControls(text);
  return safe.endsWith("\n") ? safe : `${safe}\n`;
}

/**
 * Whether fd 1 or 2 is written with `fs.writeSync`, not through `process.stdout`/`process.stderr`: when it is a
 * pipe, a socket or a file, which is never a terminal. Node builds those streams on first use, and for a pipe that
 * loads its whole `net` module: a millisecond or two of every scripted command. A character device (a terminal, or
 * /dev/null) keeps Node's stream.
 */
const direct: Partial<Record<1 | 2, boolean>> = {};
function isDirect(fd: 1 | 2): boolean {
  if (direct[fd] === undefined) {
    try {
      const stats = fstatSync(fd);
      direct[fd] = stats.isFIFO() || stats.isSocket() || stats.isFile();
    } catch {
      direct[fd] = false;
    }
  }
  return direct[fd];
}

function write(fd: 1 | 2, text: string): void {
  if (isDirect(fd)) {
    const bytes = Buffer.from(text, "utf8");
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      return;
    } catch (error) {
      // A non-blocking pipe that is full (EAGAIN): the rest goes through Node's stream, which waits for it.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      direct[fd] = false;
      text = bytes.subarray(offset).toString("utf8");
    }
  }
  (fd === 1 ? process.stdout : process.stderr).write(text);
}

/** Whether standard output is a terminal, without building `process.stdout` when it plainly is not one. */
export function stdoutIsTerminal(): boolean {
  return !isDirect(1) && Boolean(process.stdout.isTTY);
}

/** The same for standard error. */
export function stderrIsTerminal(): boolean {
  return !isDirect(2) && Boolean(process.stderr.isTTY);
}

export const processIo: Io = {
  out: (text) => write(1, line(text)),
  err: (text) => write(2, line(text)),
};

/** Prints a command result: its markdown, or with --json the markdown, outputs and raw response. */
export function printResult(
  io: Io,
  command: string,
  instance: string,
  result: CommandResult,
  json: boolean,
  format: OutputFormat = "markdown",
): void {
  for (const notice of result.notices ?? []) io.err(`Note: ${notice}`);
  if (!json) {
    io.out(renderHuman(result.readable, format));
    return;
  }
  io.out(
    JSON.stringify(
      {
        command,
        instance,
        readable: result.readable,
        outputs: contextOutputs(result),
        ...(result.outputsPrefix ? { outputsPrefix: result.outputsPrefix } : {}),
        ...(result.outputsKeyField ? { outputsKeyField: result.outputsKeyField } : {}),
        raw: result.raw ?? null,
      },
      null,
      2,
    ),
  );
}

/** Puts `value` at a dotted context path (`AzureStorageQueue.Queue`) of `context`, as XSOAR's context holds it. */
function setPath(context: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = context;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * The result's context entries as a playbook reads them: the outputs under their prefix (a dotted prefix nests),
 * and any additional entries (`Account`, `Endpoint` …) beside them.
 */
export function contextOutputs(result: CommandResult): unknown {
  if (result.outputs === undefined && !result.additionalOutputs) return {};
  if (!result.outputsPrefix && !result.additionalOutputs) return result.outputs;
  const context: Record<string, unknown> = {};
  if (result.outputs !== undefined) {
    if (result.outputsPrefix) setPath(context, result.outputsPrefix, result.outputs);
    else Object.assign(context, result.outputs);
  }
  for (const [path, value] of Object.entries(result.additionalOutputs ?? {})) setPath(context, path, value);
  return context;
}

/** Exit code and one-line message for any error; never a stack trace unless MSINT_LOG=debug. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  const exitCode =
    error &&
    typeof error === "object" &&
    "exitCode" in error &&
    (error as { exitCode: unknown }).exitCode === 2
      ? 2
      : 1;
  // Whatever built the message, no secret this process knows leaves through it (a server may echo one).
  const message = redactMessage(error instanceof Error ? error.message : String(error));
  const known =
    error instanceof Error &&
    [
      "MsintError",
      "ParameterError",
      "AuthenticationError",
      "TransportError",
      "ApiError",
      "UsageError",
      "StoreError",
      "ManifestError",
    ].some((name) => error.name === name || error.constructor.name === name);
  // A stack trace helps only with a bug of ours: shown for unexpected errors, and only at debug level.
  const debug = !known && process.env["MSINT_LOG"] === "debug" && error instanceof Error && error.stack;
  return {
    message: debug
      ? `${message}\n${redactMessage(String(error.stack))}`
      : known
        ? message
        : `Unexpected error: ${message}`,
    exitCode,
  };
}

/** A machine-readable code for an error: its own `code`, else what kind of error it is. */
function errorCode(error: unknown): string {
  if (error && typeof error === "object") {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code !== "" && !code.startsWith("commander.")) return code;
    if ((error as { exitCode?: unknown }).exitCode === 2) return "usage_error";
  }
  return "unexpected_error";
}

/**
 * Reports an error on stderr and returns the exit code: `Error: <message>`, or with --json one JSON object
 * `{"error":{"code","message","hint"}}` (the hint is the "How to fix" part, null when there is none).
 */
export function reportError(io: Io, error: unknown, json: boolean): number {
  const { message, exitCode } = describeError(error);
  if (!json) {
    io.err(`Error: ${message}`);
    return exitCode;
  }
  const own =
    error && typeof error === "object" && typeof (error as { hint?: unknown }).hint === "string"
      ? redactMessage((error as { hint: string }).hint)
      : undefined;
  const lines = message.split("\n");
  const fixAt = lines.findIndex((line) => line.startsWith("How to fix: "));
  const hint = own ?? (fixAt >= 0 ? lines[fixAt]!.slice("How to fix: ".length) : null);
  const text = fixAt >= 0 ? lines.filter((_line, index) => index !== fixAt).join("\n") : message;
  io.err(JSON.stringify({ error: { code: errorCode(error), message: text, hint } }));
  return exitCode;
}
