/**
 * The parsers of user input never fail in an unplanned way: whatever is pasted, they return a value or throw the
 * error that names the parameter, and they never repeat the input in that error (it may be a secret pasted into
 * the wrong field). The format-specific properties live next to each parser's tests.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeThumbprint, repairPem } from "./certificates.js";
import { AuthenticationError, ParameterError } from "./errors.js";
import { extractAuthorizationCode } from "./flows/authorization-code.js";
import { createRedactor, REDACTED, redactForm, redactUrl, SENSITIVE_KEYS } from "./redact.js";

const pasted = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.string({
    unit: fc.constantFrom(..."-----BEGIN END PRIVATE KEY\\n\r\n=+/AZaz09:?&#code=state".split("")),
    maxLength: 200,
  }),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);

describe("parsers of pasted input (property)", () => {
  it("normalizeThumbprint: a value, or a ParameterError naming Certificate Thumbprint that does not echo it", () => {
    fc.assert(
      fc.property(pasted, (input) => {
        try {
          const { hex, algorithm } = normalizeThumbprint(input);
          expect(hex).toMatch(algorithm === "sha1" ? /^[0-9A-F]{40}$/ : /^[0-9A-F]{64}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(ParameterError);
          expect((error as ParameterError).parameter).toBe("Certificate Thumbprint");
          if (input.trim().length >= 12) expect((error as Error).message).not.toContain(input.trim());
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("repairPem: never throws, and is idempotent", () => {
    fc.assert(
      fc.property(pasted, (input) => {
        const once = repairPem(input);
        expect(repairPem(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it("extractAuthorizationCode: a code, or an error naming the Authorization code (or the sign-in's own error)", () => {
    fc.assert(
      fc.property(pasted, fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), (input, state) => {
        try {
          const { code } = extractAuthorizationCode(input, state);
          expect(code.length).toBeGreaterThan(0);
          expect(code).toBe(code.trim());
        } catch (error) {
          if (error instanceof ParameterError) expect(error.parameter).toBe("Authorization code");
          else expect(error).toBeInstanceOf(AuthenticationError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const secret = fc.string({ minLength: 4, maxLength: 40 }).filter((text) => text.trim().length >= 4);

describe("redaction (property)", () => {
  it("a registered secret is gone from any text, raw, URL-encoded, form-encoded or base64", () => {
    fc.assert(
      fc.property(
        secret,
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (value, before, after) => {
          const redactor = createRedactor([value]);
          const forms = [
            value,
            encodeURIComponent(value),
            new URLSearchParams({ s: value }).toString().slice(2),
            Buffer.from(value).toString("base64"),
            Buffer.from(value).toString("base64url"),
          ];
          for (const form of forms) {
            const out = redactor.redact(`${before}${form}${after}`);
            // What is left may still contain the secret only if the surrounding text itself spells it.
            if (!before.includes(value) && !after.includes(value) && !`${before}${after}`.includes(form)) {
              expect(out.includes(form) && !REDACTED.includes(form)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("sensitive query and form values are removed, the rest of the URL kept; never throws", () => {
    const key = fc.constantFrom(...SENSITIVE_KEYS, "Client_Secret", "CODE", "refresh%5Ftoken");
    const safeValue = fc.stringMatching(/^[A-Za-z0-9._~-]{1,30}$/);
    fc.assert(
      fc.property(key, safeValue, safeValue, fc.webUrl(), (name, value, other, base) => {
        const url = `${base.split(/[?#]/)[0]}?keep=${other}&${name}=${value}`;
        const redacted = redactUrl(url);
        expect(redacted).toContain(`keep=${other}`);
        expect(redacted).toContain(`${name}=${REDACTED}`);
        expect(redactForm(`${name}=${value}&keep=${other}`)).toBe(`${name}=${REDACTED}&keep=${other}`);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof redactUrl(text)).toBe("string");
        expect(typeof redactForm(text)).toBe("string");
      }),
    );
  });
});
