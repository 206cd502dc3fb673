import { type CertificateCredential, parseCertificateCredential } from "../certificates.js";
import { getRedactor } from "../redact.js";
import type { FlowStrategy } from "../strategy.js";
import type { Transport } from "../transport/index.js";
import { createMsalClientCredentialsStrategy } from "./client-credentials.js";
import { fingerprint } from "./msal-support.js";

/** Client credentials with a certificate: the application signs a client assertion with its private key. */
export interface ClientCertificateOptions {
  tenantId: string;
  clientId: string;
  /**
   * "Private Key": PKCS#8 or PKCS#1 PEM, unencrypted; pasted one-line PEM is repaired. Not needed when
   * `certificate` is an already parsed {@link CertificateCredential}.
   */
  privateKey?: string | undefined;
  /** "Certificate Thumbprint": SHA-1 (portal) or SHA-256 hex, any case and separators. */
  thumbprint?: string | undefined;
  /**
   * "Certificate": PEM (both thumbprints are then taken from it), or the result of
   * {@link parseCertificateCredential} when the caller validated the parameters already.
   */
  certificate?: string | CertificateCredential | undefined;
  /** Send the certificate chain (`x5c`) for subject-name/issuer authentication. Needs the certificate. */
  sendCertificateChain?: boolean;
  /** Login host of the cloud, e.g. `https://login.microsoftonline.com`. */
  loginHost: string;
  transport: Transport;
  commandPrefix?: string | undefined;
}

/** Fingerprint material of a certificate credential: its thumbprints and a hash of the key. */
export function certificateFingerprint(credential: CertificateCredential): string {
  return fingerprint(
    credential.thumbprintSha1,
    credential.thumbprintSha256,
    fingerprint(credential.privateKeyPkcs8Pem),
  );
}

/**
 * Creates the client-credentials strategy with a certificate, over MSAL's `clientCertificate`. With the SHA-256
 * thumbprint (given, or computed from the certificate) MSAL signs PS256 with `x5t#S256`; with only a SHA-1
 * thumbprint it signs RS256 with `x5t`. The parameters are validated here, before any request.
 * @throws ParameterError naming "Private Key", "Certificate" or "Certificate Thumbprint".
 */
export function createClientCertificateStrategy(options: ClientCertificateOptions): FlowStrategy {
  const { tenantId, clientId, loginHost } = options;
  const redactor = getRedactor();
  redactor.add(options.privateKey);
  const credential =
    typeof options.certificate === "object"
      ? options.certificate
      : parseCertificateCredential({
          privateKey: options.privateKey ?? "",
          thumbprint: options.thumbprint,
          certificate: options.certificate,
        });
  redactor.add(credential.privateKeyPkcs8Pem);
  const clientCertificate: {
    thumbprint?: string;
    thumbprintSha256?: string;
    privateKey: string;
    x5c?: string;
  } = credential.thumbprintSha256
    ? { thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKeyPkcs8Pem }
    : { thumbprint: credential.thumbprintSha1!, privateKey: credential.privateKeyPkcs8Pem };
  if (options.sendCertificateChain && credential.certificatePem)
    clientCertificate.x5c = credential.certificatePem;
  return createMsalClientCredentialsStrategy({
    ...options,
    credential: { clientCertificate },
    fingerprint: fingerprint(
      "client-credentials",
      loginHost,
      tenantId,
      clientId,
      "certificate",
      certificateFingerprint(credential),
      options.sendCertificateChain ? "x5c" : "",
    ),
  });
}
