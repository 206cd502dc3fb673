import { parseArgumentWords, parseCommandLine, runCommand } from "@msint/integration-kit";
import { chooseFormat, shellCommandFormatter } from "./format.js";
import { requireInstance, requireIntegration } from "./instances.js";
import { INTERACTIVE_WAIT_MS, limitsFromEnv, transportFor, withDeadline } from "./limits.js";
import { type Io, printResult, processIo, stderrIsTerminal, stdoutIsTerminal } from "./output.js";
import { registerSecrets } from "./secrets.js";
import { openStore } from "./store.js";

function clock(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * Progress of a device-code wait on stderr: where to sign in, the code and the time left. On a terminal one line
 * redrawn in place; elsewhere (a log, CI) a line at the start and then once a minute.
 */
export function signInProgress(io: Io): {
  report: (secondsLeft: number, signIn: { verificationUri: string; userCode?: string | undefined }) => void;
  done: () => void;
} {
  // Asked when the first line is due: a command that never waits does not build process.stderr.
  let terminal: boolean | undefined;
  let lastLine = Number.POSITIVE_INFINITY;
  let drawn = false;
  return {
    report(secondsLeft, { verificationUri, userCode }) {
      const text = `Waiting for the sign-in at ${verificationUri}${userCode ? ` with the code ${userCode}` : ""} (code expires in ${clock(secondsLeft)})`;
      terminal ??= io === processIo && stderrIsTerminal();
      if (terminal) {
        process.stderr.write(`\r\x1b[K${text}`);
        drawn = true;
      } else if (lastLine - secondsLeft >= 60) {
        lastLine = secondsLeft;
        io.err(text);
      }
    },
    done() {
      if (drawn) process.stderr.write("\r\x1b[K");
    },
  };
}

export interface RunOptions {
  instance: string;
  json?: boolean;
  /** table or markdown (see chooseFormat); ignored with --json. */
  format?: string | undefined;
}

/**
 * `msint run <command> [args...] --instance NAME [--json]`. Shared by commander's `run` action and the fast path
 * of bin.ts, which reaches it without loading commander.
 */
export async function runAction(
  io: Io,
  command: string,
  words: string[],
  options: RunOptions,
): Promise<void> {
  const limits = limitsFromEnv();
  const format = options.json
    ? "markdown"
    : chooseFormat(options.format, io === processIo && stdoutIsTerminal());
  const parsed = command.startsWith("!")
    ? parseCommandLine([command, ...words].join(" "))
    : { command, args: parseArgumentWords(words) };
  // A person completing a device-code sign-in may take as long as the code lives (expires_in, 900 s at Entra):
  // the wait lasts until the stored code expires, plus a minute for the last poll. MSINT_DEADLINE_MS, when set,
  // bounds it too.
  const waits =
    parsed.command.endsWith("-auth-complete") && /^(true|yes|1)$/i.test(parsed.args["wait"] ?? "");
  const progress = signInProgress(io);
  const prepared = await withDeadline(
    async () => {
      const store = await openStore();
      const document = await requireInstance(store, options.instance);
      const integration = await requireIntegration(document.integration);
      return { store, document, integration };
    },
    limits.deadlineMs,
    parsed.command,
  );
  const expiresAt = prepared.document.context?.deviceCode?.expiresAt;
  const deadline =
    waits && !limits.explicitDeadline
      ? Math.max(
          limits.deadlineMs,
          typeof expiresAt === "number" ? expiresAt - Date.now() + 60_000 : INTERACTIVE_WAIT_MS,
        )
      : limits.deadlineMs;
  const result = await withDeadline(
    async () => {
      const { store, document, integration } = prepared;
      registerSecrets(integration, document);
      const transport = transportFor(integration, document, limits);
      return runCommand(integration, parsed.command, parsed.args, {
        store,
        document,
        onProgress: progress.report,
        formatCommand: shellCommandFormatter(options.instance),
        ...(transport ? { transport } : {}),
      });
    },
    deadline,
    parsed.command,
  ).finally(progress.done);
  printResult(io, parsed.command, options.instance, result, Boolean(options.json), format);
}
