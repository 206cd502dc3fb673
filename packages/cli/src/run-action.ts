import { parseArgumentWords, parseCommandLine, runCommand } from "@msint/integration-kit";
import { requireInstance, requireIntegration } from "./instances.js";
import { INTERACTIVE_WAIT_MS, limitsFromEnv, transportFor, withDeadline } from "./limits.js";
import { type Io, printResult, processIo } from "./output.js";
import { registerSecrets } from "./secrets.js";
import { openStore } from "./store.js";

/**
 * A one-line progress indicator on a terminal's stderr; nothing when stderr is not a terminal. Whether it is
 * one is asked at the first progress report: most commands report none, and opening stderr costs a start.
 */
export function spinner(io: Io): ((secondsLeft: number) => void) | undefined {
  if (io !== processIo) return undefined;
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let frame = 0;
  return (secondsLeft) => {
    if (!process.stderr.isTTY) return;
    frame = (frame + 1) % frames.length;
    process.stderr.write(`\r${frames[frame]} Waiting for the sign-in… (code expires in ${secondsLeft} s) `);
  };
}

export interface RunOptions {
  instance: string;
  json?: boolean;
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
  const parsed = command.startsWith("!")
    ? parseCommandLine([command, ...words].join(" "))
    : { command, args: parseArgumentWords(words) };
  // A person completing a device-code sign-in may take as long as the code lives.
  const waits =
    parsed.command.endsWith("-auth-complete") && /^(true|yes|1)$/i.test(parsed.args["wait"] ?? "");
  const deadline = waits && !limits.explicitDeadline ? INTERACTIVE_WAIT_MS : limits.deadlineMs;
  const result = await withDeadline(
    async () => {
      const store = await openStore();
      const document = await requireInstance(store, options.instance);
      const integration = await requireIntegration(document.integration);
      registerSecrets(integration, document);
      const transport = transportFor(integration, document, limits);
      return runCommand(integration, parsed.command, parsed.args, {
        store,
        document,
        onProgress: spinner(io),
        ...(transport ? { transport } : {}),
      });
    },
    deadline,
    parsed.command,
  );
  printResult(io, parsed.command, options.instance, result, Boolean(options.json));
}
