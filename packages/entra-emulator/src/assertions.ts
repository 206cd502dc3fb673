import { constants, createPrivateKey, randomUUID, sign } from "node:crypto";

/** Parameters of {@link createClientAssertion}. */
export interface ClientAssertionParameters {
  clientId: string;
  /** The token endpoint URL the assertion is for (its `aud`), e.g. `<url>/<tenant>/oauth2/v2.0/token`. */
  tokenEndpoint: string;
  /** RSA private key, PEM (PKCS#8 or PKCS#1). */
  privateKeyPem: string;
  /** SHA-1 thumbprint, hex: the header carries `x5t` (as MSAL does with only a SHA-1 thumbprint). */
  thumbprintSha1?: string;
  /** SHA-256 thumbprint, hex: the header carries `x5t#S256` (wins over SHA-1, as in MSAL). */
  thumbprintSha256?: string;
  /** Default: `PS256` with a SHA-256 thumbprint, else `RS256`. */
  algorithm?: "RS256" | "PS256";
  /** `exp - nbf`. Default 600 (MSAL's). */
  lifetimeSeconds?: number;
  /** Epoch ms used for `iat`/`nbf`. Default `Date.now()`. */
  now?: number;
  /** Extra or overriding claims (`{ jti: "fixed" }`, `{ nbf: undefined }`, …). */
  claims?: Record<string, unknown>;
}

function hexToBase64url(hex: string): string {
  return Buffer.from(hex.replace(/[:\s]/g, ""), "hex").toString("base64url");
}

/**
 * Sign a client assertion (RFC 7523 `private_key_jwt`) the way MSAL does: `typ: JWT`, `x5t` (SHA-1) or
 * `x5t#S256` (SHA-256), `aud` = token endpoint, `iss` = `sub` = client ID, a fresh `jti`, `nbf` = `iat` = now,
 * `exp` = now + 600 s. RS256 is RSASSA-PKCS1-v1_5 with SHA-256; PS256 is RSA-PSS with SHA-256 and a 32-byte salt.
 */
export function createClientAssertion(parameters: ClientAssertionParameters): string {
  if (!parameters.thumbprintSha1 && !parameters.thumbprintSha256) {
    throw new Error("createClientAssertion needs thumbprintSha1 or thumbprintSha256");
  }
  const algorithm = parameters.algorithm ?? (parameters.thumbprintSha256 ? "PS256" : "RS256");
  const header: Record<string, string> = { alg: algorithm, typ: "JWT" };
  if (parameters.thumbprintSha256) header["x5t#S256"] = hexToBase64url(parameters.thumbprintSha256);
  else header["x5t"] = hexToBase64url(parameters.thumbprintSha1!);
  const issuedAt = Math.floor((parameters.now ?? Date.now()) / 1000);
  const claims = {
    aud: parameters.tokenEndpoint,
    iss: parameters.clientId,
    sub: parameters.clientId,
    jti: randomUUID(),
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + (parameters.lifetimeSeconds ?? 600),
    ...parameters.claims,
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const key = createPrivateKey(parameters.privateKeyPem);
  const signature =
    algorithm === "PS256"
      ? sign("sha256", Buffer.from(signingInput), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        })
      : sign("sha256", Buffer.from(signingInput), key);
  return `${signingInput}.${signature.toString("base64url")}`;
}
