import { describe, expect, it } from "vitest";
import { createLogger, parseLogLevel } from "./log.js";
import { createRedactor, REDACTED, redactForm, redactHeaders, redactUrl } from "./redact.js";

describe("createRedactor", () => {
  it("replaces registered secrets in raw, URL-encoded, form-encoded and base64 form", () => {
    const redactor = createRedactor();
    const secret = "s3cr3t~value/with+special=chars";
    redactor.add(secret);
    const text = [
      `raw ${secret}`,
      `url ${encodeURIComponent(secret)}`,
      `form ${new URLSearchParams({ s: secret }).toString().slice(2)}`,
      `base64 ${Buffer.from(secret).toString("base64")}`,
      `base64url ${Buffer.from(secret).toString("base64url")}`,
    ].join("\n");
    const redacted = redactor.redact(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(encodeURIComponent(secret));
    expect(redacted).not.toContain(Buffer.from(secret).toString("base64"));
    expect(redacted.match(/\[REDACTED\]/g)?.length).toBe(5);
  });

  it("ignores empty, missing and short values", () => {
    const redactor = createRedactor(["", undefined, null, "abc"]);
    redactor.add("xyz");
    expect(redactor.redact("abc xyz")).toBe("abc xyz");
    redactor.add("abcd");
    expect(redactor.redact("abcd")).toBe(REDACTED);
  });

  it("replaces the longest secret first", () => {
    const redactor = createRedactor(["token", "token-extended"]);
    expect(redactor.redact("x token-extended y")).toBe(`x ${REDACTED} y`);
  });
});

describe("redactUrl", () => {
  it("removes values of sensitive query and fragment keys, any case", () => {
    expect(
      redactUrl(
        "https://h.example/cb?code=abc&state=xyz&Client_Secret=s&sig=AAA%2B#access_token=t&token_type=Bearer",
      ),
    ).toBe(
      `https://h.example/cb?code=${REDACTED}&state=xyz&Client_Secret=${REDACTED}&sig=${REDACTED}#access_token=${REDACTED}&token_type=Bearer`,
    );
  });

  it("covers every sensitive key of the brief", () => {
    for (const key of [
      "client_secret",
      "code",
      "refresh_token",
      "client_assertion",
      "access_token",
      "device_code",
      "sig",
      "password",
      "token",
      "assertion",
      "code_verifier",
    ]) {
      expect(redactUrl(`https://h/?${key}=value1`)).toBe(`https://h/?${key}=${REDACTED}`);
    }
  });

  it("removes the password of userinfo", () => {
    expect(redactUrl("http://user:p%40ss@proxy.local:8080/")).toBe(
      `http://user:${REDACTED}@proxy.local:8080/`,
    );
    expect(redactUrl("http://user@proxy.local/")).toBe("http://user@proxy.local/");
  });

  it("copes with non-URLs", () => {
    expect(redactUrl("not a url ?code=1")).toBe(`not a url ?code=${REDACTED}`);
    expect(redactUrl("")).toBe("");
    expect(redactUrl("/relative?password=x")).toBe(`/relative?password=${REDACTED}`);
  });
});

describe("redactForm", () => {
  it("keeps harmless fields and removes secrets", () => {
    const body =
      "client_id=abc&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=shh&grant_type=client_credentials&refresh_token=rt";
    expect(redactForm(body)).toBe(
      `client_id=abc&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=${REDACTED}&grant_type=client_credentials&refresh_token=${REDACTED}`,
    );
  });
});

describe("redactHeaders", () => {
  it("lower-cases names and hides credential headers, keeping the scheme", () => {
    expect(
      redactHeaders({
        Authorization: "Bearer eyJ0eXAi",
        "Proxy-Authorization": "Basic dXNlcjpwYXNz",
        Cookie: "a=b",
        "X-IDENTITY-HEADER": "abc",
        "x-ms-storage-key": "k",
        "Ocp-Apim-Subscription-Key": "k2",
        "Content-Type": "application/json",
        "Set-Cookie": ["a=1", "b=2"],
      }),
    ).toEqual({
      authorization: `Bearer ${REDACTED}`,
      "proxy-authorization": `Basic ${REDACTED}`,
      cookie: REDACTED,
      "x-identity-header": REDACTED,
      "x-ms-storage-key": REDACTED,
      "ocp-apim-subscription-key": REDACTED,
      "content-type": "application/json",
      "set-cookie": REDACTED,
    });
  });
});

describe("logger", () => {
  it("writes levels at or above the threshold, redacted", () => {
    const lines: string[] = [];
    const redactor = createRedactor(["very-secret-value"]);
    const logger = createLogger({ level: "info", sink: (line) => lines.push(line), redactor });
    logger.debug("hidden");
    logger.info("token is very-secret-value", { url: "https://x", n: 1 });
    logger.error("boom");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ INFO token is \[REDACTED\] url=https:\/\/x n=1$/);
    expect(lines[1]).toMatch(/ ERROR boom$/);
    expect(logger.enabled("debug")).toBe(false);
    expect(logger.enabled("warn")).toBe(true);
  });

  it("tags lines of a child and can be silenced", () => {
    const lines: string[] = [];
    createLogger({ level: "debug", sink: (line) => lines.push(line) })
      .child("transport")
      .debug("hello", { quoted: "a b" });
    expect(lines[0]).toMatch(/ DEBUG \[transport\] hello quoted="a b"$/);
    const silent = createLogger({ level: "silent", sink: (line) => lines.push(line) });
    silent.error("nothing");
    expect(lines).toHaveLength(1);
  });

  it("parses MSINT_LOG values", () => {
    expect(parseLogLevel("DEBUG")).toBe("debug");
    expect(parseLogLevel("warning")).toBe("warn");
    expect(parseLogLevel("off")).toBe("silent");
    expect(parseLogLevel("loud")).toBeUndefined();
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(parseLogLevel(name)).toBeUndefined();
    }
    expect(parseLogLevel(undefined)).toBeUndefined();
  });

  it("never throws when the sink fails", () => {
    const logger = createLogger({
      level: "debug",
      sink: () => {
        throw new Error("disk full");
      },
    });
    expect(() => logger.error("x")).not.toThrow();
  });
});
