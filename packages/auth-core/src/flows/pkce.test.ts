import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeChallengeS256, createPkcePair, createState, isValidCodeVerifier } from "../pkce.js";

describe("PKCE", () => {
  it("creates 64-character verifiers and their S256 challenges", () => {
    const pair = createPkcePair();
    expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(pair.codeChallenge).toBe(createHash("sha256").update(pair.codeVerifier).digest("base64url"));
    expect(pair.codeChallenge).not.toContain("=");
    expect(pair.codeChallengeMethod).toBe("S256");
    expect(createPkcePair().codeVerifier).not.toBe(pair.codeVerifier);
    expect(createPkcePair(96).codeVerifier).toHaveLength(128);
    expect(() => createPkcePair(31)).toThrow(RangeError);
  });

  it("property: verifiers of 43–128 unreserved characters are valid, others are not", () => {
    const unreserved = fc.constantFrom(..."ABCXYZabcxyz0189-._~".split(""));
    fc.assert(
      fc.property(fc.array(unreserved, { minLength: 43, maxLength: 128 }), (chars) => {
        const verifier = chars.join("");
        expect(isValidCodeVerifier(verifier)).toBe(true);
        expect(codeChallengeS256(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
    for (const bad of ["a".repeat(42), "a".repeat(129), `${"a".repeat(42)}+`, `${"a".repeat(42)} `]) {
      expect(isValidCodeVerifier(bad)).toBe(false);
      expect(() => codeChallengeS256(bad)).toThrow(RangeError);
    }
  });

  it("creates 43-character random states", () => {
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).not.toBe(createState());
  });
});
