import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  cleanAadstsDescription,
  translateApiError,
  translateEntraError,
} from "./errors.js";

const TAIL_WORDS = /trace id|correlation id|timestamp/i;
/** Descriptions as Entra writes them, and worse: any text that does not itself mention the tail's labels. */
const description = fc
  .oneof(
    fc.string({ maxLength: 120 }),
    fc.string({ unit: "grapheme", maxLength: 80 }),
    fc.string({
      unit: fc.constantFrom(..."Invalid client secret: '.\r\n\t ().,[]AADSTS0123456789".split("")),
      maxLength: 80,
    }),
  )
  .filter((text) => !TAIL_WORDS.test(text));
const uuid = fc.uuid();
const timestamp = fc
  .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
  .map((date) => date.toISOString().replace("T", " ").replace("Z", "Z"));
const separator = fc.constantFrom("\r\n", "\n", " ", "\r\n\r\n", "\t", "  \r\n ");
const tailLine = fc.oneof(
  uuid.map((id) => `Trace ID: ${id}`),
  uuid.map((id) => `Correlation ID: ${id}`),
  timestamp.map((time) => `Timestamp: ${time}`),
  uuid.map((id) => `trace id:${id}`),
);

describe("AADSTS description cleaning (property)", () => {
  it("keeps the code and the description, drops every trace, correlation and timestamp line", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 99_999_999 }), { nil: undefined }),
        description,
        fc.array(fc.tuple(separator, tailLine), { minLength: 1, maxLength: 4 }),
        (code, text, tail) => {
          const raw = `${code === undefined ? "" : `AADSTS${code}: `}${text}${tail.map(([sep, line]) => `${sep}${line}`).join("")}`;
          const cleaned = cleanAadstsDescription(raw);
          if (code !== undefined) expect(cleaned.code).toBe(code);
          const expected = (
            code === undefined ? raw.slice(0, raw.length - tail.map(([s, l]) => s + l).join("").length) : text
          )
            .replace(/\s+/g, " ")
            .trim();
          // Without a code, a leading "AADSTSn:" in the random text is taken as one.
          if (code !== undefined || !/^\s*AADSTS\d+\s*:/i.test(text))
            expect(cleaned.description).toBe(expected);
          expect(cleaned.description).not.toMatch(TAIL_WORDS);
          for (const [, line] of tail) expect(cleaned.description).not.toContain(line.split(/:\s?/)[1]!);
          expect(cleaned.description).not.toMatch(/[\r\n]/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const cleaned = cleanAadstsDescription(input);
        expect(typeof cleaned.description).toBe("string");
      }),
    );
  });
});

/** Names of Object.prototype's properties: a server may send any of them where a code is expected. */
const prototypeName = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
);
const errorBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? ""),
  fc.record(
    {
      error: fc.oneof(
        fc.string(),
        fc.constant("invalid_grant"),
        fc.constant("invalid_client"),
        prototypeName,
      ),
      error_description: fc
        .tuple(description, uuid)
        .map(([text, id]) => `AADSTS50173: ${text}\r\nTrace ID: ${id}`),
      error_codes: fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(50173), prototypeName), {
        maxLength: 3,
      }),
      trace_id: fc.oneof(uuid, fc.integer()),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    error: fc.record(
      { code: fc.oneof(fc.string(), prototypeName), message: fc.oneof(fc.string(), fc.integer()) },
      { requiredKeys: [] },
    ),
  }),
);

describe("error translation (property)", () => {
  it("Entra token errors: always one AuthenticationError with a message and a fix, never a trace line", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        errorBody,
        fc.option(fc.constantFrom("msgraph-user", "x"), { nil: undefined }),
        (status, body, prefix) => {
          const error = translateEntraError(status, body as string | object, { commandPrefix: prefix });
          expect(error).toBeInstanceOf(AuthenticationError);
          expect(error.message.length).toBeGreaterThan(0);
          expect(error.message).toMatch(/How to fix: /);
          expect(error.message).not.toMatch(/\bTrace ID\s*:|\bCorrelation ID\s*:/i);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("resource API errors: always one ApiError with a message", () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), errorBody, (status, body) => {
        const error = translateApiError(status, body as string | object, {});
        expect(error).toBeInstanceOf(ApiError);
        expect(error.status).toBe(status);
        expect(error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
