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

export const processIo: Io = {
  out: (text) => process.stdout.write(line(text)),
  err: (text) => process.stderr.write(line(text)),
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
  if (!json) {
    io.out(renderHuman(result.readable, format));
    return;
  }
  const outputs =
    result.outputs === undefined
      ? {}
      : result.outputsPrefix
        ? { [result.outputsPrefix]: result.outputs }
        : result.outputs;
  io.out(
    JSON.stringify(
      { command, instance, readable: result.readable, outputs, raw: result.raw ?? null },
      null,
      2,
    ),
  );
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
