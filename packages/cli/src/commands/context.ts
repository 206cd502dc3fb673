import { MsintError } from "@msint/auth-core";
import { UsageError } from "@msint/integration-kit";
import type { Command } from "commander";
import type { OutputFormat } from "../format.js";
import type { Io } from "../output.js";

/** What every command's registration gets besides the program: where output goes and in which form. */
export interface CliContext {
  io: Io;
  /** The human format of this run (--format, MSINT_FORMAT, or whether stdout is a terminal). */
  format(): OutputFormat;
  /** Prints Markdown in the human format of this run. */
  human(markdown: string): void;
  /** Prints a value as indented JSON. */
  printJson(value: unknown): void;
}

/** Registers one command (with its subcommands) of `msint` on the program. */
export type RegisterCommand = (program: Command, cli: CliContext) => void;

/** Commander's collector of a repeatable option. */
export const collect = (value: string, previous: string[]) => [...previous, value];

/** `--port`: a number from 0 (a free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes a number from 0 to 65535, not "${value}".`);
  return port;
}

/** A plain message for a port that cannot be listened on (in use, or privileged); undefined for other errors. */
export function listenError(error: unknown, port: number): MsintError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE")
    return new MsintError(`port ${port} is in use: choose another with --port (0 picks a free one).`);
  if (code === "EACCES")
    return new MsintError(
      `port ${port} needs privileges this user does not have: choose a port above 1023 with --port.`,
    );
  return undefined;
}
