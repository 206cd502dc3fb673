import { describe, expect, it } from "vitest";
import { toFetchedToken, tokenAnswerProblem } from "./flows/oauth-http.js";
import { createLogger } from "./log.js";
import { createRedactor } from "./redact.js";
import { hasControls, neutralizeControls, truncateServerText } from "./text-safety.js";

describe("neutralizeControls", () => {
  it("escapes ESC, CSI, OSC, BEL, BS, CR, DEL, C1 and bidi overrides; keeps tab and newline", () => {
    const hostile =
      "a\u001b[2Jb\u001b]0;title\u0007c\u0008d\re\u007ff\u009b31mg\u0085h\u202eevil\u2066i\tj\nk";
    const safe = neutralizeControls(hostile);
    expect(safe).toBe(
      "a\\u001b[2Jb\\u001b]0;title\\u0007c\\u0008d\\u000de\\u007ff\\u009b31mg\\u0085h\\u202eevil\\u2066i\tj\nk",
    );
    expect(hasControls(safe)).toBe(false);
  });

  it("escapes newlines too for a log line", () => {
    expect(neutralizeControls("one\ntwo\tthree", { newlines: false })).toBe("one\\u000atwo\tthree");
  });

  it("leaves ordinary text, accents and emoji as they are (the same string)", () => {
    const text = "Zoë ✅ 日本語 — ok";
    expect(neutralizeControls(text)).toBe(text);
  });

  it("keeps JSON parseable and lossless: the escape means the same character inside a JSON string", () => {
    const value = { name: "x\u009b2Jy\u202ez\u007f" };
    const printed = neutralizeControls(JSON.stringify(value));
    expect(hasControls(printed)).toBe(false);
    expect(JSON.parse(printed)).toEqual(value);
  });
});

describe("truncateServerText", () => {
  it("says how much was cut", () => {
    expect(truncateServerText("x".repeat(3000))).toBe(`${"x".repeat(2048)}… (952 more characters cut)`);
    expect(truncateServerText("short")).toBe("short");
  });

  it("never splits a surrogate pair", () => {
    const cut = truncateServerText(`${"a".repeat(9)}😀😀`, 10);
    expect(cut.startsWith(`${"a".repeat(9)}…`)).toBe(true);
  });
});

describe("log lines", () => {
  it("are one line, without terminal control, whatever the message and fields hold", () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      sink: (line) => lines.push(line),
      redactor: createRedactor(),
    });
    logger.warn("server said \u001b]52;c;aGk=\u0007\nFAKE 2026 ERROR injected", { detail: "\u009b2J" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
    expect(lines[0]).toContain("\\u001b]52;c;aGk=\\u0007\\u000aFAKE 2026 ERROR injected");
  });
});

describe("token answers need a non-empty string access_token and a positive lifetime", () => {
  const now = 1_800_000_000_000;
  const cases: Array<[string, Record<string, unknown> | undefined, RegExp | undefined]> = [
    ["a good one", { access_token: "t", expires_in: 3599 }, undefined],
    ["expires_in as a numeric string (ADFS, IMDS)", { access_token: "t", expires_in: "3599" }, undefined],
    ["expires_on in the future only", { access_token: "t", expires_on: String(now / 1000 + 600) }, undefined],
    ["not a JSON object", undefined, /^without an access token$/],
    ["no access_token", { expires_in: 3599 }, /^without an access token$/],
    ["an empty access_token", { access_token: "", expires_in: 3599 }, /access_token is empty/],
    [
      "a numeric access_token",
      { access_token: 42, expires_in: 3599 },
      /access_token is a number, not a string/,
    ],
    ["an object access_token", { access_token: {}, expires_in: 1 }, /access_token is a object/],
    ["expires_in 0", { access_token: "t", expires_in: 0 }, /expires_in 0: a token must live a positive/],
    ["expires_in negative", { access_token: "t", expires_in: -5 }, /expires_in -5/],
    ["expires_in a word", { access_token: "t", expires_in: "soon" }, /expires_in "soon", not a number/],
    ["expires_in true", { access_token: "t", expires_in: true }, /expires_in true, not a number/],
    ["expires_on passed", { access_token: "t", expires_on: now / 1000 - 5 }, /which has passed/],
    ["no lifetime at all", { access_token: "t" }, /no lifetime \(neither expires_in nor expires_on\)/],
  ];
  it.each(cases)("%s", (_label, record, problem) => {
    const found = tokenAnswerProblem(record, now);
    if (problem === undefined) {
      expect(found).toBeUndefined();
      expect(toFetchedToken(record, now)?.expiresInSeconds).toBeGreaterThan(0);
    } else {
      expect(found).toMatch(problem);
      expect(toFetchedToken(record, now)).toBeUndefined();
    }
  });

  it("the broker's missing lifetime gets XSOAR's default; a zero one does not", () => {
    expect(toFetchedToken({ access_token: "t" }, now, 3595)?.expiresInSeconds).toBe(3595);
    expect(toFetchedToken({ access_token: "t", expires_in: 0 }, now, 3595)).toBeUndefined();
  });
});
