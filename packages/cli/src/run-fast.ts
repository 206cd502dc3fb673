import type { FastRun } from "./fast-path.js";
import { processIo, reportError } from "./output.js";
import { runAction } from "./run-action.js";
import { registerSecrets } from "./secrets.js";
import { setStoreOption } from "./store.js";

/** Runs `msint run` parsed by parseFastRun: same output and exit codes as through commander. */
export async function runFast({ command, words, options, debug, store }: FastRun): Promise<number> {
  // What commander's preAction hook does for every command.
  if (debug) process.env["MSINT_LOG"] = "debug";
  setStoreOption(store);
  try {
    registerSecrets(undefined, undefined);
    await runAction(processIo, command, words, options);
    return 0;
  } catch (error) {
    return reportError(processIo, error, Boolean(options.json));
  }
}
