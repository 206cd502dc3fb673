import { describe, expect, it } from "vitest";
import { createLogger, logFormatFromEnv, logLevelFromEnv, parseLogLevel } from "./log.js";
import { createRedactor } from "./redact.js";

describe("log levels from the environment", () => {
  it("reads MSINT_LOG, else AZURE_LOG_LEVEL (with the Azure SDK's words), else warn", () => {
    expect(logLevelFromEnv({})).toBe("warn");
    expect(logLevelFromEnv({ AZURE_LOG_LEVEL: "verbose" })).toBe("debug");
    expect(logLevelFromEnv({ AZURE_LOG_LEVEL: "warning" })).toBe("warn");
    expect(logLevelFromEnv({ AZURE_LOG_LEVEL: "info" })).toBe("info");
    expect(logLevelFromEnv({ MSINT_LOG: "error", AZURE_LOG_LEVEL: "verbose" })).toBe("error");
    expect(logLevelFromEnv({ AZURE_LOG_LEVEL: "chatty" })).toBe("warn");
    expect(parseLogLevel("VERBOSE")).toBe("debug");
  });

  it("MSINT_LOG_FORMAT=json chooses JSON, anything else text", () => {
    expect(logFormatFromEnv({ MSINT_LOG_FORMAT: "JSON" })).toBe("json");
    expect(logFormatFromEnv({ MSINT_LOG_FORMAT: "yaml" })).toBe("text");
    expect(logFormatFromEnv({})).toBe("text");
  });
});

describe("JSON lines", () => {
  it("writes one JSON object a line with time, level, scope, message and fields, secrets redacted", () => {
    const lines: string[] = [];
    const secret = 'p"a\\ss"word-1234567890';
    const redactor = createRedactor();
    redactor.add(secret);
    const logger = createLogger({
      level: "debug",
      format: "json",
      sink: (line) => lines.push(line),
      redactor,
    });
    logger
      .child("transport")
      .info(`POST with ${secret}`, { status: 200, url: "https://x/token", body: secret });
    logger.debug("nested", { detail: { key: secret, count: 2 } });
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain("\n");
      expect(line).not.toContain('p\\"a');
      expect(line).not.toContain("1234567890");
    }
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: "info", scope: "transport", status: 200, url: "https://x/token" });
    expect(first["message"]).toMatch(/^POST with \S+$/);
    expect(first["body"]).not.toContain("password");
    expect(Date.parse(String(first["time"]))).not.toBeNaN();
    const second = JSON.parse(lines[1]!) as { detail: { count: number } };
    expect(second.detail.count).toBe(2);
  });

  it("keeps the threshold: lines below it are not written", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", format: "json", sink: (line) => lines.push(line) });
    logger.info("hidden");
    logger.error("shown");
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(["shown"]);
  });
});
