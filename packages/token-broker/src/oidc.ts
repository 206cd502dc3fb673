import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { Transport } from "@msint/auth-core";

// The proof of consent: the ID token of an OpenID Connect sign-in the broker started. Validated as the OpenID
// Connect Core 1.0 §3.1.3.7 rules and Microsoft's ID token reference require (signature with the tenant's published
// keys, iss, aud, nonce, exp/nbf, tid), with node:crypto only.

/** Accepted distance between Microsoft's clock and the broker's for `exp` and `nbf`. */
export const ID_TOKEN_SKEW_SECONDS = 120;
/** How long fetched signing keys are used before they are fetched again. */
const JWKS_TTL_MS = 24 * 60 * 60_000;
/** An unknown `kid` refetches the keys, at most this often per URL (a key rollover needs one refetch). */
const JWKS_REFETCH_MS = 10_000;
const MAX_JWKS_BYTES = 256 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Why an ID token was refused; each is shown to the person signing in and logged. */
export type IdTokenProblem =
  | "missing"
  | "malformed"
  | "algorithm"
  | "unknown_key"
  | "keys_unavailable"
  | "signature"
  | "issuer"
  | "audience"
  | "nonce"
  | "expired"
  | "not_yet_valid"
  | "tenant";

/** The claims the broker relies on, from a validated ID token. */
export interface ValidatedIdToken {
  tenantId: string;
  /** Object ID of the user in that tenant (`oid`). */
  objectId?: string;
  /** `preferred_username`, for the log's eyes only (never a secret, but personal: not logged). */
  username?: string;
}

export type IdTokenResult = { ok: true; token: ValidatedIdToken } | { ok: false; problem: IdTokenProblem };

/** What the ID token must say. */
export interface IdTokenExpectations {
  /** `https://<login host>` (or the emulator's origin); the issuer is `<loginHost>/<tid>/v2.0`. */
  loginHost: string;
  /** The broker app's client ID: the audience. */
  clientId: string;
  /** The nonce sent in the authorize request. */
  nonce: string;
  /** The tenant the sign-in must be in (a GUID); undefined accepts any tenant whose issuer matches. */
  tenantId?: string;
  /** Whose published keys to use when no tenant is expected: the sign-in's tenant segment (`organizations`). */
  keysTenant: string;
  /** Epoch ms. */
  now: number;
}

interface CachedKeys {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

function segmentJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The signing keys of the login host, fetched from `/{tenant}/discovery/v2.0/keys` and cached. */
export class JwksCache {
  private readonly cache = new Map<string, CachedKeys>();
  private readonly pending = new Map<string, Promise<CachedKeys | undefined>>();

  constructor(
    private readonly transport: Transport,
    private readonly now: () => number,
  ) {}

  /** The RSA key with this `kid`, refetching once when it is not (or no longer) among the cached ones. */
  async key(url: string, kid: string): Promise<KeyObject | "unknown" | "unavailable"> {
    let entry = this.cache.get(url);
    if (!entry || this.now() - entry.fetchedAt > JWKS_TTL_MS) entry = await this.fetch(url);
    else if (!entry.keys.has(kid) && this.now() - entry.fetchedAt > JWKS_REFETCH_MS) {
      entry = (await this.fetch(url)) ?? entry;
    }
    if (!entry) return "unavailable";
    return entry.keys.get(kid) ?? "unknown";
  }

  private fetch(url: string): Promise<CachedKeys | undefined> {
    let running = this.pending.get(url);
    if (!running) {
      running = this.load(url).finally(() => this.pending.delete(url));
      this.pending.set(url, running);
    }
    return running;
  }

  private async load(url: string): Promise<CachedKeys | undefined> {
    let body: string;
    try {
      const response = await this.transport.request({
        method: "GET",
        url,
        headers: { Accept: "application/json" },
        retry: true,
      });
      if (response.status !== 200 || response.body.length > MAX_JWKS_BYTES) return undefined;
      body = response.body;
    } catch {
      return undefined;
    }
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return undefined;
    }
    const list = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) return undefined;
    const keys = new Map<string, KeyObject>();
    for (const item of list) {
      if (item === null || typeof item !== "object") continue;
      const jwk = item as Record<string, unknown>;
      if (jwk["kty"] !== "RSA" || typeof jwk["kid"] !== "string") continue;
      if (jwk["use"] !== undefined && jwk["use"] !== "sig") continue;
      if (typeof jwk["n"] !== "string" || typeof jwk["e"] !== "string") continue;
      try {
        const key = createPublicKey({ key: { kty: "RSA", n: jwk["n"], e: jwk["e"] }, format: "jwk" });
        // RS256 with less than 2048 bits is not a signature the broker relies on.
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) keys.set(jwk["kid"], key);
      } catch {
        // A key that does not parse is skipped; the others still count.
      }
    }
    const entry = { keys, fetchedAt: this.now() };
    this.cache.set(url, entry);
    return entry;
  }
}

/**
 * Validates an ID token from the token endpoint: RS256 only (never `none` or HMAC), signed by a key the login host
 * publishes for the tenant, issued by `<loginHost>/<tid>/v2.0` to this client, for this nonce, within its lifetime
 * and, when one is expected, in that tenant.
 */
export async function validateIdToken(
  idToken: string | undefined,
  expected: IdTokenExpectations,
  jwks: JwksCache,
): Promise<IdTokenResult> {
  if (!idToken) return { ok: false, problem: "missing" };
  const parts = idToken.split(".");
  if (parts.length !== 3 || idToken.length > 16_384) return { ok: false, problem: "malformed" };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart)) return { ok: false, problem: "malformed" };
  const header = segmentJson(headerPart);
  const claims = segmentJson(payloadPart);
  if (!header || !claims) return { ok: false, problem: "malformed" };
  // The algorithm is fixed by the broker, never taken from the token: `none`, HS256 (with the public key as the
  // HMAC secret) and anything else are refused before a key is looked at.
  if (header["alg"] !== "RS256" || header["crit"] !== undefined) return { ok: false, problem: "algorithm" };
  if (!SEGMENT.test(signaturePart)) return { ok: false, problem: "signature" };
  const tid = claims["tid"];
  if (typeof tid !== "string" || !GUID.test(tid)) return { ok: false, problem: "tenant" };
  const tenantId = tid.toLowerCase();
  if (expected.tenantId && expected.tenantId.toLowerCase() !== tenantId) {
    return { ok: false, problem: "tenant" };
  }
  const kid = header["kid"];
  if (typeof kid !== "string" || kid === "") return { ok: false, problem: "unknown_key" };
  // The keys of the tenant the token must come from (Entra publishes per-tenant key sets), else those of the
  // segment the sign-in used: never a URL chosen by a claim not yet verified.
  const keysUrl = `${expected.loginHost}/${encodeURIComponent(expected.tenantId ?? expected.keysTenant)}/discovery/v2.0/keys`;
  const key = await jwks.key(keysUrl, kid);
  if (key === "unavailable") return { ok: false, problem: "keys_unavailable" };
  if (key === "unknown") return { ok: false, problem: "unknown_key" };
  const valid = verify(
    "sha256",
    Buffer.from(`${headerPart}.${payloadPart}`),
    key,
    Buffer.from(signaturePart, "base64url"),
  );
  if (!valid) return { ok: false, problem: "signature" };
  if (claims["iss"] !== `${expected.loginHost}/${tid}/v2.0`) return { ok: false, problem: "issuer" };
  const aud = claims["aud"];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    !audiences.some(
      (value) => typeof value === "string" && value.toLowerCase() === expected.clientId.toLowerCase(),
    )
  ) {
    return { ok: false, problem: "audience" };
  }
  if (audiences.length > 1 && claims["azp"] !== expected.clientId) return { ok: false, problem: "audience" };
  if (typeof claims["nonce"] !== "string" || claims["nonce"] !== expected.nonce) {
    return { ok: false, problem: "nonce" };
  }
  const nowSeconds = expected.now / 1000;
  const exp = claims["exp"];
  if (typeof exp !== "number" || nowSeconds > exp + ID_TOKEN_SKEW_SECONDS)
    return { ok: false, problem: "expired" };
  const nbf = claims["nbf"];
  if (nbf !== undefined && (typeof nbf !== "number" || nowSeconds + ID_TOKEN_SKEW_SECONDS < nbf)) {
    return { ok: false, problem: "not_yet_valid" };
  }
  const oid = claims["oid"];
  const username = claims["preferred_username"];
  return {
    ok: true,
    token: {
      tenantId,
      ...(typeof oid === "string" ? { objectId: oid } : {}),
      ...(typeof username === "string" ? { username } : {}),
    },
  };
}
