import { createHash, randomBytes } from "node:crypto";

/** A PKCE (RFC 7636) verifier and its S256 challenge. */
export interface PkcePair {
  /** 43–128 characters of `[A-Za-z0-9-._~]`; kept secret until the code is redeemed. */
  codeVerifier: string;
  /** base64url(SHA-256(verifier)), sent on the authorize request. */
  codeChallenge: string;
  codeChallengeMethod: "S256";
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** True when `verifier` has the length and alphabet RFC 7636 §4.1 requires. */
export function isValidCodeVerifier(verifier: string): boolean {
  return typeof verifier === "string" && VERIFIER.test(verifier);
}

/** The S256 challenge of a verifier: base64url of its SHA-256, without padding. */
export function codeChallengeS256(verifier: string): string {
  if (!isValidCodeVerifier(verifier)) {
    throw new RangeError(
      "A PKCE code verifier has 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'.",
    );
  }
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Creates a verifier from `byteLength` random bytes (default 48 → 64 characters) and its S256 challenge. */
export function createPkcePair(byteLength = 48): PkcePair {
  if (!Number.isInteger(byteLength) || byteLength < 32 || byteLength > 96) {
    throw new RangeError("byteLength must be between 32 and 96 (43 to 128 verifier characters).");
  }
  const codeVerifier = randomBytes(byteLength).toString("base64url");
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier), codeChallengeMethod: "S256" };
}

/** A random OAuth `state`: 32 bytes, base64url (43 characters). */
export function createState(): string {
  return randomBytes(32).toString("base64url");
}
