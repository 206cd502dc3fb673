import { processWide } from "./process-wide.js";
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

/** How lines are written: `text` (`<time> LEVEL [scope] message key=value…`) or `json` (one object a line). */
export type LogFormat = "text" | "json";

/** Settings of {@link createLogger}. */
export interface LoggerOptions {
  /** Threshold; defaults to {@link logLevelFromEnv} (`MSINT_LOG`, else `AZURE_LOG_LEVEL`, else `warn`). */
  level?: LogLevel | "silent";
  /** Defaults to `MSINT_LOG_FORMAT` (`json` or `text`), else `text`. */
  format?: LogFormat;
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
  // AZURE_LOG_LEVEL's words (verbose, info, warning, error) mean the same as ours.
  if (normalized === "trace" || normalized === "verbose") return "debug";
  return Object.hasOwn(RANK, normalized) ? (normalized as LogLevel | "silent") : undefined;
}

/**
 * The threshold the environment asks for: `MSINT_LOG`, else `AZURE_LOG_LEVEL` (the Azure SDK's variable, honoured
 * as an alias so one setting serves both), else `warn`.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | "silent" {
  return parseLogLevel(env["MSINT_LOG"]) ?? parseLogLevel(env["AZURE_LOG_LEVEL"]) ?? "warn";
}

/** `MSINT_LOG_FORMAT=json` writes one JSON object a line (for log collectors); anything else is text. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env): LogFormat {
  return env["MSINT_LOG_FORMAT"]?.trim().toLowerCase() === "json" ? "json" : "text";
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

/** A field value for a JSON line: strings redacted wherever they are nested (before JSON escapes them). */
function jsonValue(value: unknown, redactor: Redactor, depth = 0): unknown {
  if (typeof value === "string") return redactor.redact(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (value instanceof Error) return redactor.redact(value.message);
  if (depth > 8) return "[…]";
  if (Array.isArray(value)) return value.map((item) => jsonValue(item, redactor, depth + 1));
  if (typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      copy[redactor.redact(key)] = jsonValue(item, redactor, depth + 1);
    }
    return copy;
  }
  return redactor.redact(String(value));
}

/** Creates a logger. Cheap: no I/O until a line is written. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFromEnv();
  const format = options.format ?? logFormatFromEnv();
  const sink = options.sink ?? stderrSink;
  const redactor = options.redactor ?? getRedactor();
  const threshold = RANK[level];

  const writeJson = (lineLevel: LogLevel, message: string, fields?: LogFields) => {
    // Values are redacted before they are escaped: a secret holding a quote or a backslash would no longer match
    // once JSON-escaped. The whole line is redacted again after, in case a secret spans a key and a value.
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: lineLevel,
      ...(options.scope ? { scope: options.scope } : {}),
      message: redactor.redact(message),
    };
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value === undefined || key in record) continue;
      record[key] = jsonValue(value, redactor);
    }
    try {
      sink(redactor.redact(JSON.stringify(record)));
    } catch {
      // Logging must never break the command it describes.
    }
  };

  const write = (lineLevel: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[lineLevel] > threshold) return;
    if (format === "json") return writeJson(lineLevel, message, fields);
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
      createLogger({
        level,
        format,
        sink,
        redactor,
        scope: options.scope ? `${options.scope}:${scope}` : scope,
      }),
  };
}

/**
 * The process-wide logger: level from `MSINT_LOG` or `AZURE_LOG_LEVEL` (default `warn`), format from
 * `MSINT_LOG_FORMAT`, standard error, the shared redactor. One per process
 * (`globalThis[Symbol.for("msint.logger")]`), shared by every installed copy of msint.
 */
export function getLogger(): Logger {
  return processWide("logger", () => createLogger());
}
