import { constants, createHash, type KeyObject, verify } from "node:crypto";
import { assertionErrors } from "../aadsts-assertion.js";
import { type RegisteredCertificate, registeredCertificate } from "../certificates.js";
import type { EntraErrorSpec } from "../errors.js";
import { DEMO_CERT_CLIENT_ID } from "../seed.js";
import type { SeedApp, SeedTenant } from "../types.js";
import { EntraFailure, type TokenRequestContext } from "./grant.js";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Tolerance on `exp`/`nbf`, as Entra applies it. */
const SKEW_SECONDS = 300;
/** Longest accepted `exp - nbf`: MSAL's 600 s plus a little leeway. */
const MAX_LIFETIME_SECONDS = 600 + 60;

interface ParsedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function parseJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseAssertion(jwt: string): ParsedAssertion | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+={0,2}$/.test(part))) return undefined;
  const header = parseJson(parts[0]!);
  const claims = parseJson(parts[1]!);
  if (!header || !claims) return undefined;
  return {
    header,
    claims,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2]!, "base64url"),
  };
}

/** The thumbprint in the header (`x5t#S256` wins over `x5t`), decoded; padding and standard base64 tolerated. */
function headerThumbprint(
  header: Record<string, unknown>,
): { digest: Buffer; kind: "sha1" | "sha256" } | undefined {
  const sha256 = header["x5t#S256"];
  const sha1 = header["x5t"];
  const value = typeof sha256 === "string" ? sha256 : typeof sha1 === "string" ? sha1 : undefined;
  if (value === undefined) return undefined;
  const digest = Buffer.from(value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), "base64url");
  return { digest, kind: typeof sha256 === "string" ? "sha256" : "sha1" };
}

function findCertificate(
  app: SeedApp,
  thumbprint: { digest: Buffer; kind: "sha1" | "sha256" },
): RegisteredCertificate | undefined {
  for (const { pem } of app.certificates ?? []) {
    const certificate = registeredCertificate(pem);
    if (certificate?.[thumbprint.kind].equals(thumbprint.digest)) return certificate;
  }
  return undefined;
}

function signatureValid(algorithm: string, assertion: ParsedAssertion, key: KeyObject): boolean {
  const data = Buffer.from(assertion.signingInput);
  try {
    if (algorithm === "RS256") return verify("sha256", data, key, assertion.signature);
    return verify(
      "sha256",
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      assertion.signature,
    );
  } catch {
    return false;
  }
}

/** Token endpoint URLs the assertion's `aud` may name: this origin, the tenant as sent, by ID or by domain, v2 or v1. */
function expectedAudiences(context: TokenRequestContext, tenant: SeedTenant): Set<string> {
  const segments = new Set([context.tenantSegment, tenant.id, ...(tenant.domains ?? [])]);
  const audiences = new Set<string>();
  for (const segment of segments) {
    for (const path of ["oauth2/v2.0/token", "oauth2/token"]) {
      audiences.add(`${context.request.origin}/${segment}/${path}`.toLowerCase());
    }
  }
  return audiences;
}

function audienceMatches(aud: unknown, expected: Set<string>): boolean {
  const values = Array.isArray(aud) ? aud : [aud];
  return values.some(
    (value) => typeof value === "string" && expected.has(value.replace(/\/+$/, "").toLowerCase()),
  );
}

/** The time checks: expired, not yet valid, or living longer than 10 minutes → AADSTS500133. */
function timeProblem(claims: Record<string, unknown>, now: number): EntraErrorSpec | undefined {
  const nowSeconds = now / 1000;
  const exp = typeof claims["exp"] === "number" ? claims["exp"] : undefined;
  const nbf = typeof claims["nbf"] === "number" ? claims["nbf"] : undefined;
  const iat = typeof claims["iat"] === "number" ? claims["iat"] : undefined;
  if (exp === undefined) return assertionErrors.timeRange(now, exp, "The assertion has no 'exp' claim.");
  if (nowSeconds > exp + SKEW_SECONDS)
    return assertionErrors.timeRange(now, exp, "The assertion has expired.");
  const start = nbf ?? iat ?? nowSeconds;
  if (start > nowSeconds + SKEW_SECONDS) {
    return assertionErrors.timeRange(
      now,
      exp,
      "The assertion is not yet valid (its 'nbf' is in the future).",
    );
  }
  if (exp - start > MAX_LIFETIME_SECONDS) {
    return assertionErrors.timeRange(
      now,
      exp,
      `The assertion is valid for ${Math.round(exp - start)} seconds; client assertions may live at most 10 ` +
        "minutes (600 seconds).",
    );
  }
  return undefined;
}

function claimsProblem(
  context: TokenRequestContext,
  tenant: SeedTenant,
  app: SeedApp,
  assertion: ParsedAssertion,
): EntraErrorSpec | undefined {
  const { claims } = assertion;
  if (!audienceMatches(claims["aud"], expectedAudiences(context, tenant))) {
    return assertionErrors.audience(String(claims["aud"] ?? ""));
  }
  const iss = claims["iss"];
  const sub = claims["sub"];
  if (typeof iss !== "string" || typeof sub !== "string" || iss.toLowerCase() !== sub.toLowerCase()) {
    return assertionErrors.subjectMismatch();
  }
  if (sub.toLowerCase() !== app.clientId.toLowerCase()) return assertionErrors.clientMismatch();
  return timeProblem(claims, context.state.now());
}

function replayProblem(
  context: TokenRequestContext,
  app: SeedApp,
  jwt: string,
  claims: Record<string, unknown>,
) {
  const jti = claims["jti"];
  if (typeof jti !== "string") return undefined;
  const digest = createHash("sha256").update(jwt).digest("hex");
  const fresh = context.state.store.rememberAssertion(
    app.clientId,
    jti,
    digest,
    claims["exp"] as number,
    context.state.settings.strictAssertionReplay,
  );
  return fresh ? undefined : assertionErrors.replay();
}

/** Find the registered certificate and check the signature, in Entra's order. */
function keyProblem(
  context: TokenRequestContext,
  app: SeedApp,
  assertion: ParsedAssertion,
): EntraErrorSpec | undefined {
  const thumbprint = headerThumbprint(assertion.header);
  const hex = thumbprint?.digest.toString("hex").toUpperCase() ?? "";
  if (!app.certificates?.length && app.clientId === DEMO_CERT_CLIENT_ID) context.state.demoCertificate();
  const certificate = thumbprint && findCertificate(app, thumbprint);
  if (!certificate) return assertionErrors.keyNotFound(hex, app.clientId);
  if (certificate.bits < 2048) return assertionErrors.weakKey(certificate.bits);
  const now = context.state.now();
  if (now < certificate.validFrom.getTime() || now > certificate.validTo.getTime()) {
    return assertionErrors.keyExpired(hex, certificate.validFrom, certificate.validTo);
  }
  const algorithm = String(assertion.header["alg"] ?? "");
  if (algorithm !== "RS256" && algorithm !== "PS256")
    return assertionErrors.unsupportedAlgorithm(algorithm, hex);
  if (!signatureValid(algorithm, assertion, certificate.publicKey)) {
    return assertionErrors.badSignature(hex, certificate.validFrom, certificate.validTo);
  }
  return undefined;
}

/**
 * Verify a certificate client assertion (RFC 7523): the key by `x5t#S256`/`x5t` among the app's certificates
 * (AADSTS700027; weak keys 50032), the RS256/PS256 signature (700027), `aud` = this token endpoint (50012),
 * `iss` = `sub` (50048) = the client (700021), the time window (500133), then `jti` replay (50012).
 */
export function verifyClientAssertion(
  context: TokenRequestContext,
  tenant: SeedTenant,
  app: SeedApp,
  jwt: string,
): true | EntraFailure {
  const assertion = parseAssertion(jwt);
  if (!assertion) return new EntraFailure(assertionErrors.malformed());
  const problem =
    keyProblem(context, app, assertion) ??
    claimsProblem(context, tenant, app, assertion) ??
    replayProblem(context, app, jwt, assertion.claims);
  return problem ? new EntraFailure(problem) : true;
}
