import { getRedactor, type Redactor } from "./redact.js";
import { neutralizeControls } from "./text-safety.js";

/** Severity of a log line; `silent` as a threshold turns logging off. */
export type LogLevel = "error" | "warn" | "info" | "debug";

/** Extra structured values of a line, rendered as `key=value`. */
export type LogFields = Record<string, unknown>;

/** Receives finished, redacted lines (without trailing newline). */
export type LogSink = (line: string) => void;

/** A leveled logger whose every line has gone through a redactor. */
export interface Logger {
  /** The threshold: lines below it are dropped. */
  readonly level: LogLevel | "silent";
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** Whether a line at `level` would be written; lets callers skip building expensive messages. */
  enabled(level: LogLevel): boolean;
  /** A logger with the same settings whose lines are tagged with `scope`. */
  child(scope: string): Logger;
}

/** Settings of {@link createLogger}. */
export interface LoggerOptions {
  /** Threshold; defaults to `MSINT_LOG` or `warn`. */
  level?: LogLevel | "silent";
  /** Where lines go; defaults to standard error. */
  sink?: LogSink;
  /** Defaults to the process-wide redactor. */
  redactor?: Redactor;
  /** Tag of every line, e.g. `transport`. */
  scope?: string;
}

const RANK: Readonly<Record<LogLevel | "silent", number>> = {
  silent: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
};

/** Reads a level name (`error`, `warn`, `info`, `debug`, `silent`/`off`; any case); unknown → undefined. */
export function parseLogLevel(value: string | undefined): LogLevel | "silent" | undefined {
  const normalized = value?.trim().toLowerCase();
  if (!normalized) return undefined;
  if (normalized === "off" || normalized === "none") return "silent";
  if (normalized === "warning") return "warn";
  if (normalized === "trace") return "debug";
  return Object.hasOwn(RANK, normalized) ? (normalized as LogLevel | "silent") : undefined;
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

function renderValue(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) || value === "" ? JSON.stringify(value) : value;
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Creates a logger. Cheap: no I/O until a line is written. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? parseLogLevel(process.env["MSINT_LOG"]) ?? "warn";
  const sink = options.sink ?? stderrSink;
  const redactor = options.redactor ?? getRedactor();
  const threshold = RANK[level];

  const write = (lineLevel: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[lineLevel] > threshold) return;
    let line = `${new Date().toISOString()} ${lineLevel.toUpperCase()}${options.scope ? ` [${options.scope}]` : ""} ${message}`;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) line += ` ${key}=${renderValue(value)}`;
      }
    }
    try {
      // One line per entry, and nothing a server said (in a message or a field) can steer the terminal or forge
      // a line of its own.
      sink(neutralizeControls(redactor.redact(line), { newlines: false }));
    } catch {
      // Logging must never break the command it describes.
    }
  };

  return {
    level,
    error: (message, fields) => write("error", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    info: (message, fields) => write("info", message, fields),
    debug: (message, fields) => write("debug", message, fields),
    enabled: (lineLevel) => RANK[lineLevel] <= threshold,
    child: (scope) =>
      createLogger({ level, sink, redactor, scope: options.scope ? `${options.scope}:${scope}` : scope }),
  };
}

let shared: Logger | undefined;

/** The process-wide logger: level from `MSINT_LOG` (default `warn`), standard error, the shared redactor. */
export function getLogger(): Logger {
  shared ??= createLogger();
  return shared;
}
