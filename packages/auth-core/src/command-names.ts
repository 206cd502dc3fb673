import { AsyncLocalStorage } from "node:async_hooks";
import { processWide } from "./process-wide.js";

/**
 * How a fix names a command to run: `command` is the full command name (`msgraph-user-auth-reset`), `args` its
 * arguments. The caller decides the form, because the reader of the hint decides it: a War Room reads
 * `!msgraph-user-auth-reset`, a shell user `msint run msgraph-user-auth-reset --instance graph`.
 */
export type CommandFormatter = (command: string, args?: Readonly<Record<string, string>>) => string;

/** Double-quotes a War Room argument value when it needs it (backslash escapes `"` and `\`). */
function warRoomValue(value: string): string {
  return value !== "" && /^[^\s"`\\]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** The default: the War Room form of the seed document, `!command name="value"`. */
export const warRoomCommand: CommandFormatter = (command, args = {}) =>
  [`!${command}`, ...Object.entries(args).map(([name, value]) => `${name}=${warRoomValue(value)}`)].join(" ");

// One per process, shared by every installed copy of msint: a formatter set by the CLI's copy applies to hints
// written by an integration's own copy.
const formatters = processWide("command-formatter", () => new AsyncLocalStorage<CommandFormatter>());

/** Runs `work` with hints naming commands through `formatter` (everything it awaits included). */
export function withCommandFormatter<T>(formatter: CommandFormatter | undefined, work: () => T): T {
  return formatter ? formatters.run(formatter, work) : work();
}

/** A command as the current caller names it (see {@link withCommandFormatter}); War Room form by default. */
export function formatCommand(command: string, args?: Readonly<Record<string, string>>): string {
  return (formatters.getStore() ?? warRoomCommand)(command, args);
}
