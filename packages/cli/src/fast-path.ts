import type { RunOptions } from "./run-action.js";

export interface FastRun {
  command: string;
  words: string[];
  options: RunOptions;
  debug: boolean;
  /** `--store URL`, when given. */
  store?: string;
}

/**
 * Recognises the hot path, `msint [--debug] run <command> [args...] --instance NAME [--json] [--format F] [--debug]`, without
 * commander. Anything else (help, other options, a missing --instance) returns undefined and goes through
 * commander, which prints the usual help and errors.
 */
export function parseFastRun(argv: readonly string[]): FastRun | undefined {
  let index = 2;
  let debug = false;
  let store: string | undefined;
  for (;;) {
    if (argv[index] === "--debug") {
      debug = true;
      index++;
    } else if (argv[index] === "--store" && argv[index + 1] !== undefined) {
      store = argv[index + 1];
      index += 2;
    } else if (argv[index]?.startsWith("--store=")) {
      store = argv[index]!.slice("--store=".length);
      index++;
    } else break;
  }
  if (argv[index] !== "run") return undefined;
  const positional: string[] = [];
  let instance: string | undefined;
  let json = false;
  let format: string | undefined;
  for (let i = index + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--instance") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-")) return undefined;
      instance = value;
    } else if (arg.startsWith("--instance=")) {
      instance = arg.slice("--instance=".length);
    } else if (arg === "--format") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-")) return undefined;
      format = value;
    } else if (arg.startsWith("--format=")) {
      format = arg.slice("--format=".length);
    } else if (arg === "--json") {
      json = true;
    } else if (arg === "--debug") {
      debug = true;
    } else if (arg === "--store") {
      const value = argv[++i];
      if (value === undefined) return undefined;
      store = value;
    } else if (arg.startsWith("--store=")) {
      store = arg.slice("--store=".length);
    } else if (arg.startsWith("-")) {
      return undefined;
    } else {
      positional.push(arg);
    }
  }
  const [command, ...words] = positional;
  if (!command || !instance) return undefined;
  return {
    command,
    words,
    options: { instance, json, ...(format === undefined ? {} : { format }) },
    debug,
    ...(store === undefined ? {} : { store }),
  };
}
