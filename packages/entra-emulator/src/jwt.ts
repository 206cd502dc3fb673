import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { promisify } from "node:util";

const generateKeyPairAsync = promisify(generateKeyPair);

/** The emulator's token-signing key and its public JWK. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key ID; like Entra, equal to `x5t`. */
  kid: string;
  x5t: string;
  jwk: { kty: "RSA"; use: "sig"; kid: string; x5t: string; n: string; e: string; alg: "RS256" };
}

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** Build the signing key from a supplied private key, or generate a 2048-bit RSA key. */
export async function createSigningKey(supplied?: string | KeyObject): Promise<SigningKey> {
  let privateKey: KeyObject;
  if (supplied === undefined) {
    ({ privateKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 }));
  } else {
    privateKey = typeof supplied === "string" ? createPrivateKey(supplied) : supplied;
    if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "rsa") {
      throw new Error("signingKey must be an RSA private key");
    }
  }
  const publicKey = createPublicKey(privateKey);
  // Entra's kid/x5t is the SHA-1 thumbprint of the signing certificate; there is no certificate here, so the
  // thumbprint is taken over the public key's DER instead. Clients treat it as an opaque identifier.
  const x5t = base64url(
    createHash("sha1")
      .update(publicKey.export({ type: "spki", format: "der" }))
      .digest(),
  );
  const { n, e } = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return {
    privateKey,
    publicKey,
    kid: x5t,
    x5t,
    jwk: { kty: "RSA", use: "sig", kid: x5t, x5t, n, e, alg: "RS256" },
  };
}

/** Sign claims as an RS256 JWT with the Entra-style header `{ typ, alg, kid, x5t }`. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5t: key.x5t, kid: key.kid }));
  const payload = base64url(JSON.stringify(claims));
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${base64url(sign("sha256", Buffer.from(signingInput), key.privateKey))}`;
}

/**
 * Like {@link signJwt}, but the RSA operation runs on libuv's thread pool, so a loaded token endpoint signs on
 * several cores instead of blocking the event loop.
 */
export function signJwtAsync(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5t: key.x5t, kid: key.kid }));
  const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
  return new Promise((resolve, reject) => {
    sign("sha256", Buffer.from(signingInput), key.privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(`${signingInput}.${base64url(signature)}`);
    });
  });
}

/** A JWT whose structure and signature checked out (claims not yet validated). */
export type DecodedJwt =
  | { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { ok: false; problem: "malformed" | "signature" };

function parseSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Parse a compact JWS and verify its RS256 signature against the emulator key. Never throws. */
export function decodeAndVerifyJwt(key: SigningKey, token: string): DecodedJwt {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, problem: "malformed" };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart) || !/^[A-Za-z0-9_-]*$/.test(signaturePart)) {
    return { ok: false, problem: "malformed" };
  }
  const header = parseSegment(headerPart);
  const claims = parseSegment(payloadPart);
  if (!header || !claims) return { ok: false, problem: "malformed" };
  if (header["alg"] !== "RS256" || (header["kid"] !== undefined && header["kid"] !== key.kid)) {
    return { ok: false, problem: "signature" };
  }
  const valid = verify(
    "sha256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    key.publicKey,
    Buffer.from(signaturePart, "base64url"),
  );
  return valid ? { ok: true, header, claims } : { ok: false, problem: "signature" };
}
