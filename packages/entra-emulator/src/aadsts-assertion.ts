import { type EntraErrorSpec, entraTimestamp } from "./errors.js";

const CERT_DOCS =
  "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";

/** Entra's `Start=…, End=…` rendering of a key's validity. */
function keyWindow(validFrom: Date, validTo: Date): string {
  const format = (date: Date) => date.toISOString().slice(0, 19).replace("T", " ");
  return `Start=${format(validFrom)}, End=${format(validTo)}`;
}

function invalidClient(code: number, message: string): EntraErrorSpec {
  return { status: 401, error: "invalid_client", code, message };
}

/** AADSTS errors of certificate client assertions (`client_assertion` on the token endpoint). */
export const assertionErrors = {
  malformed: (): EntraErrorSpec => ({
    status: 400,
    error: "invalid_request",
    code: 50027,
    message: "JWT token is invalid or malformed.",
  }),
  keyNotFound: (thumbprint: string, clientId: string): EntraErrorSpec =>
    invalidClient(
      700027,
      "Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by " +
        `client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see ` +
        `configured keys for app Id '${clientId}'.]`,
    ),
  badSignature: (thumbprint: string, validFrom: Date, validTo: Date): EntraErrorSpec =>
    invalidClient(
      700027,
      "Client assertion failed signature validation. [Reason - The provided signature value did not match the " +
        `expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key ` +
        `'${keyWindow(validFrom, validTo)}']`,
    ),
  keyExpired: (thumbprint: string, validFrom: Date, validTo: Date): EntraErrorSpec =>
    invalidClient(
      700027,
      "Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used " +
        `by client: '${thumbprint}', Found key '${keyWindow(validFrom, validTo)}']`,
    ),
  unsupportedAlgorithm: (algorithm: string, thumbprint: string): EntraErrorSpec =>
    invalidClient(
      700027,
      `Client assertion failed signature validation. [Reason - The signing algorithm '${algorithm}' is not ` +
        `supported; use RS256 or PS256., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  weakKey: (bits: number): EntraErrorSpec =>
    invalidClient(
      50032,
      `WeakRsaKey: the certificate key used to sign the client assertion has ${bits} bits; RSA keys must be ` +
        "at least 2048 bits.",
    ),
  audience: (audience: string): EntraErrorSpec =>
    invalidClient(
      50012,
      `Client assertion audience claim does not match Realm issuer. Audience in the assertion: '${audience}'. ` +
        `The audience must be the token endpoint the client sends the assertion to. ${CERT_DOCS}`,
    ),
  subjectMismatch: (): EntraErrorSpec =>
    invalidClient(50048, `Subject mismatches Issuer claim in the client assertion. ${CERT_DOCS}`),
  clientMismatch: (): EntraErrorSpec =>
    invalidClient(
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${CERT_DOCS}`,
    ),
  timeRange: (now: number, exp: number | undefined, reason: string): EntraErrorSpec =>
    invalidClient(
      500133,
      "Assertion is not within its valid time range. Ensure that the access token is not expired before using " +
        `it for user assertion, or request a new token. Current time: ${entraTimestamp(now)}, expiry time of ` +
        `assertion ${exp === undefined ? "(none)" : entraTimestamp(exp * 1000)}. ${reason}`,
    ),
  replay: (): EntraErrorSpec =>
    invalidClient(
      50012,
      "The client assertion's 'jti' claim was already used by a different assertion. Each client assertion must " +
        `carry a unique 'jti' within its lifetime. ${CERT_DOCS}`,
    ),
} as const;
