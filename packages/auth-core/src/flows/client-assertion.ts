import { constants, createPrivateKey, randomUUID, sign } from "node:crypto";
import type { CertificateCredential } from "../certificates.js";
import { MsintError } from "../errors.js";
import type { FormFields } from "./oauth-http.js";

/** `client_assertion_type` of a JWT client assertion (RFC 7523). */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Lifetime of an assertion; Microsoft: "5-10 minutes after nbf at most". */
const ASSERTION_LIFETIME_SECONDS = 600;

/** Inputs of {@link createClientAssertion}. */
export interface ClientAssertionOptions {
  clientId: string;
  /** The token endpoint the assertion is sent to: its `aud`. */
  tokenEndpoint: string;
  certificate: CertificateCredential;
  /** Clock, epoch ms. */
  now?: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/**
 * Signs a client assertion the way Microsoft documents it (and MSAL builds it): PS256 with `x5t#S256` when the
 * SHA-256 thumbprint is known, else RS256 with `x5t` (SHA-1, what older portals show). Claims `aud` (the token
 * endpoint), `iss` = `sub` = client ID, a fresh `jti`, `nbf` = `iat` = now, `exp` = now + 10 minutes. A new one is
 * made per token request, so a long-running process never sends an expired assertion.
 */
export function createClientAssertion(options: ClientAssertionOptions): string {
  const { certificate, clientId, tokenEndpoint } = options;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const header: Record<string, string> = { typ: "JWT" };
  if (certificate.thumbprintSha256) {
    header["alg"] = "PS256";
    header["x5t#S256"] = base64url(Buffer.from(certificate.thumbprintSha256, "hex"));
  } else if (certificate.thumbprintSha1) {
    header["alg"] = "RS256";
    header["x5t"] = base64url(Buffer.from(certificate.thumbprintSha1, "hex"));
  } else {
    throw new MsintError("A certificate credential needs a SHA-1 or SHA-256 thumbprint.");
  }
  const claims = {
    aud: tokenEndpoint,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const key = createPrivateKey(certificate.privateKeyPkcs8Pem);
  const signature =
    header["alg"] === "PS256"
      ? sign("sha256", Buffer.from(signingInput), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : sign("sha256", Buffer.from(signingInput), key);
  return `${signingInput}.${signature.toString("base64url")}`;
}

/** How a confidential client proves itself on a token request. */
export type ClientCredential =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; certificate: CertificateCredential }
  | { kind: "none" };

/**
 * Form fields that authenticate the client: `client_secret`, or `client_assertion_type` + `client_assertion`, or
 * nothing for a public client.
 */
export function clientAuthenticationFields(
  credential: ClientCredential,
  clientId: string,
  tokenEndpoint: string,
): FormFields {
  if (credential.kind === "secret") return [["client_secret", credential.clientSecret]];
  if (credential.kind === "certificate") {
    return [
      ["client_assertion_type", CLIENT_ASSERTION_TYPE],
      [
        "client_assertion",
        createClientAssertion({ clientId, tokenEndpoint, certificate: credential.certificate }),
      ],
    ];
  }
  return [];
}
