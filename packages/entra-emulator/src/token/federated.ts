import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from "node:crypto";
import type { EntraErrorSpec } from "../errors.js";
import { entraTimestamp } from "../errors.js";
import { DEMO_FEDERATED_ISSUER, DEMO_FEDERATED_SUBJECT, FEDERATED_AUDIENCE } from "../seed.js";
import type { SeedApp, SeedFederatedCredential } from "../types.js";
import { EntraFailure, type TokenRequestContext } from "./grant.js";

const SKEW_SECONDS = 300;
const FIC_DOCS =
  "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

let demoKeys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
function demoIssuerKeys() {
  demoKeys ??= generateKeyPairSync("rsa", { modulusLength: 2048 });
  return demoKeys;
}

/** What {@link issueFederatedToken} signs. */
export interface FederatedTokenOptions {
  subject?: string;
  audience?: string;
  /** Defaults to the demo issuer (the only one whose private key the emulator holds). */
  issuer?: string;
  lifetimeSeconds?: number;
  /** Epoch ms; defaults to now. */
  now?: number;
}

/**
 * A federated token from the demo issuer, as a Kubernetes projected service account token looks: RS256, `iss`,
 * `sub`, `aud`, `iat`/`nbf`/`exp`. Tests write it to the file msint reads for Workload Identity.
 */
export function issueFederatedToken(options: FederatedTokenOptions = {}): string {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: "RS256", typ: "JWT", kid: "emulator-demo-issuer" };
  const claims = {
    iss: options.issuer ?? DEMO_FEDERATED_ISSUER,
    sub: options.subject ?? DEMO_FEDERATED_SUBJECT,
    aud: [options.audience ?? FEDERATED_AUDIENCE],
    iat: now,
    nbf: now,
    exp: now + (options.lifetimeSeconds ?? 3600),
    jti: randomUUID(),
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), demoIssuerKeys().privateKey).toString("base64url")}`;
}

function decode(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a client assertion is a federated token rather than the app's own certificate assertion: the app has
 * federated credentials and the token was not issued by the app itself (`iss` ≠ client ID).
 */
export function isFederatedAssertion(app: SeedApp, jwt: string): boolean {
  if (!app.federatedCredentials?.length) return false;
  const claims = decode(jwt.split(".")[1] ?? "");
  const issuer = claims?.["iss"];
  return typeof issuer === "string" && issuer.toLowerCase() !== app.clientId.toLowerCase();
}

function invalidClient(code: number, message: string): EntraErrorSpec {
  return { status: 401, error: "invalid_client", code, message };
}

function issuerKeys(context: TokenRequestContext, issuer: string): KeyObject[] {
  const keys: KeyObject[] = [];
  if (issuer === DEMO_FEDERATED_ISSUER) keys.push(demoIssuerKeys().publicKey);
  for (const entry of context.state.seed.federatedIssuers ?? []) {
    if (entry.issuer !== issuer) continue;
    for (const pem of entry.publicKeys) {
      try {
        keys.push(createPublicKey(pem));
      } catch {
        // A malformed key in the seed verifies nothing.
      }
    }
  }
  return keys;
}

function audiences(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string");
}

/**
 * Verifies a federated client assertion the way Entra does for workload identity federation: a credential of the
 * app with the token's issuer (AADSTS700211), the issuer's signature (AADSTS700027), the time window
 * (AADSTS700024), the subject (AADSTS700213) and the audience (AADSTS700212). Issuer and subject compare
 * exactly, as Entra's do.
 */
export function verifyFederatedAssertion(
  context: TokenRequestContext,
  app: SeedApp,
  jwt: string,
): true | EntraFailure {
  const parts = jwt.split(".");
  const header = decode(parts[0] ?? "");
  const claims = decode(parts[1] ?? "");
  if (parts.length !== 3 || !header || !claims) {
    return new EntraFailure({
      status: 400,
      error: "invalid_request",
      code: 50027,
      message: "JWT token is invalid or malformed.",
    });
  }
  const issuer = String(claims["iss"] ?? "");
  const candidates: SeedFederatedCredential[] = (app.federatedCredentials ?? []).filter(
    (credential) => credential.issuer === issuer,
  );
  if (candidates.length === 0) {
    return new EntraFailure(
      invalidClient(
        700211,
        `No matching federated identity record found for presented assertion issuer '${issuer}'. ${FIC_DOCS}`,
      ),
    );
  }
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, "base64url");
  const signed =
    header["alg"] === "RS256" &&
    issuerKeys(context, issuer).some((key) => {
      try {
        return verify("sha256", data, key, signature);
      } catch {
        return false;
      }
    });
  if (!signed) {
    return new EntraFailure(
      invalidClient(
        700027,
        `Client assertion failed signature validation. [Reason - The key was not found., Issuer: '${issuer}']`,
      ),
    );
  }
  const now = context.state.now() / 1000;
  const exp = typeof claims["exp"] === "number" ? claims["exp"] : undefined;
  const nbf = typeof claims["nbf"] === "number" ? claims["nbf"] : undefined;
  if (exp === undefined || now > exp + SKEW_SECONDS || (nbf !== undefined && nbf > now + SKEW_SECONDS)) {
    const show = (seconds: number | undefined) =>
      seconds === undefined ? "(none)" : entraTimestamp(seconds * 1000);
    return new EntraFailure(
      invalidClient(
        700024,
        `Client assertion is not within its valid time range. Current time: ${entraTimestamp(context.state.now())}, assertion valid from ${show(nbf)}, expiry time of assertion ${show(exp)}.`,
      ),
    );
  }
  const subject = String(claims["sub"] ?? "");
  const bySubject = candidates.filter((credential) => credential.subject === subject);
  if (bySubject.length === 0) {
    return new EntraFailure(
      invalidClient(
        700213,
        `No matching federated identity record found for presented assertion subject '${subject}'. ${FIC_DOCS}`,
      ),
    );
  }
  const presented = audiences(claims["aud"]);
  const accepted = bySubject.some((credential) =>
    (credential.audiences ?? [FEDERATED_AUDIENCE]).some((audience) => presented.includes(audience)),
  );
  if (!accepted) {
    return new EntraFailure(
      invalidClient(
        700212,
        `No matching federated identity record found for presented assertion audience '${presented.join(", ")}'. ${FIC_DOCS}`,
      ),
    );
  }
  return true;
}
