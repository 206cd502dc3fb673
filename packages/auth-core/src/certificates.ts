import { createPrivateKey, generateKeyPair, type KeyObject, X509Certificate } from "node:crypto";
import { ParameterError } from "./errors.js";

/** Display name of the thumbprint parameter (`creds_certificate.identifier` / `certificate_thumbprint`). */
export const CERTIFICATE_THUMBPRINT_PARAMETER = "Certificate Thumbprint";
/** Display name of the private key parameter (`creds_certificate.password` / `private_key`). */
export const PRIVATE_KEY_PARAMETER = "Private Key";
/** Display name of the optional certificate parameter. */
export const CERTIFICATE_PARAMETER = "Certificate";

/** Entra ID refuses RSA keys shorter than this (AADSTS50032). */
const MIN_RSA_BITS = 2048;

/** A certificate thumbprint in canonical form. */
export interface NormalizedThumbprint {
  /** Upper-case hexadecimal without separators. */
  hex: string;
  /** 40 hex characters are a SHA-1 thumbprint (what the Azure portal shows), 64 a SHA-256 one. */
  algorithm: "sha1" | "sha256";
}

// Invisible characters that come along when a thumbprint is copied from Windows' certificate manager (a leading
// left-to-right mark is notorious) or from rich-text documents.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g;
// `openssl x509 -noout -fingerprint -sha1` prints `SHA1 Fingerprint=AB:CD:…`; PowerShell and others print
// `Thumbprint: …`.
const LABEL = /^\s*(?:sha-?(?:1|256)\s*)?(?:fingerprint|thumbprint)\s*[=:]\s*/i;

/**
 * Normalises a certificate thumbprint as users paste it: any case, colons, spaces or hyphens between the bytes,
 * the `SHA1 Fingerprint=` prefix of `openssl x509 -fingerprint`. 40 hex characters are SHA-1, 64 are SHA-256.
 * @throws ParameterError naming "Certificate Thumbprint" for anything else (the input is not echoed: users
 * sometimes paste a key into the wrong field).
 */
export function normalizeThumbprint(input: string): NormalizedThumbprint {
  const raw = String(input ?? "")
    .replace(INVISIBLE, "")
    .replace(LABEL, "");
  const compact = raw.replace(/[\s:-]/g, "");
  const fix =
    "enter 40 hexadecimal characters (SHA-1, as shown in Certificates & secrets of the app registration) or 64 (SHA-256); colons and spaces are ignored.";
  if (compact === "") {
    throw new ParameterError(
      `${CERTIFICATE_THUMBPRINT_PARAMETER} is empty: ${fix}`,
      CERTIFICATE_THUMBPRINT_PARAMETER,
    );
  }
  if (!/^[0-9a-f]+$/i.test(compact)) {
    throw new ParameterError(
      `${CERTIFICATE_THUMBPRINT_PARAMETER} contains characters that are not hexadecimal digits: ${fix}`,
      CERTIFICATE_THUMBPRINT_PARAMETER,
    );
  }
  if (compact.length !== 40 && compact.length !== 64) {
    throw new ParameterError(
      `${CERTIFICATE_THUMBPRINT_PARAMETER} has ${compact.length} hexadecimal characters: ${fix}`,
      CERTIFICATE_THUMBPRINT_PARAMETER,
    );
  }
  return { hex: compact.toUpperCase(), algorithm: compact.length === 40 ? "sha1" : "sha256" };
}

// A PEM block whose line breaks may have become spaces: the label may itself contain spaces ("RSA PRIVATE KEY").
const PEM_BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*?)-----([\s\S]*?)-----END \1-----/g;
// RFC 1421 encapsulated headers of legacy encrypted PKCS#1 keys.
const PEM_HEADER = /(Proc-Type|DEK-Info)\s*:\s*([^\s]+)/g;

/**
 * Rebuilds PEM text that went through a one-line input field: line breaks that became spaces or literal `\n`
 * sequences, CRLF, indentation, quotes or other text around the blocks. Each block is re-emitted with its
 * header and footer lines and its base64 body wrapped at 64 characters. Text without any PEM block is returned
 * trimmed, unchanged otherwise (the caller reports it).
 */
export function repairPem(text: string): string {
  const normalized = String(text ?? "")
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    .replace(/\r\n?/g, "\n");
  const blocks: string[] = [];
  for (const match of normalized.matchAll(PEM_BLOCK)) {
    const label = match[1]!;
    let body = match[2]!;
    const headers: string[] = [];
    for (const header of body.matchAll(PEM_HEADER)) headers.push(`${header[1]}: ${header[2]}`);
    body = body.replace(PEM_HEADER, "").replace(/[^A-Za-z0-9+/=]/g, "");
    const lines = [`-----BEGIN ${label}-----`];
    if (headers.length > 0) lines.push(...headers, "");
    for (let offset = 0; offset < body.length; offset += 64) lines.push(body.slice(offset, offset + 64));
    lines.push(`-----END ${label}-----`);
    blocks.push(lines.join("\n"));
  }
  return blocks.length === 0 ? normalized.trim() : `${blocks.join("\n")}\n`;
}

/** The certificate material a certificate-based flow needs, validated. */
export interface CertificateCredential {
  /** The private key as PKCS#8 PEM (what MSAL wants). */
  privateKeyPkcs8Pem: string;
  /** Upper-case hex; from the certificate when one was given, else the thumbprint parameter if it was SHA-1. */
  thumbprintSha1?: string;
  /** Upper-case hex; from the certificate when one was given, else the thumbprint parameter if it was SHA-256. */
  thumbprintSha256?: string;
  /** The certificate as repaired PEM, when one was given (a chain may follow the first certificate). */
  certificatePem?: string;
  /** Expiry of the certificate (epoch ms), when one was given. */
  notAfter?: number;
}

/** Inputs of {@link parseCertificateCredential}: raw parameter values. */
export interface CertificateCredentialInput {
  /** "Certificate Thumbprint": SHA-1 or SHA-256, any format {@link normalizeThumbprint} accepts. */
  thumbprint?: string | undefined;
  /**
   * "Private Key": PKCS#8 or PKCS#1 PEM, unencrypted. A PEM that also holds the certificate (as Azure Identity's
   * ClientCertificateCredential takes it) is accepted; the certificate is then used as if given separately.
   */
  privateKey: string;
  /** "Certificate": the X.509 certificate PEM, optional. */
  certificate?: string | undefined;
  /** Clock for the expiry check, epoch ms. */
  now?: number;
}

function blocksOf(pem: string): Array<{ label: string; text: string }> {
  return [...pem.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1]!, text: match[0] }));
}

function parsePrivateKey(input: string): { key: KeyObject; certificates: string[] } {
  const repaired = repairPem(input);
  const blocks = blocksOf(repaired);
  const name = PRIVATE_KEY_PARAMETER;
  if (String(input ?? "").trim() === "") {
    throw new ParameterError(
      `${name} is empty: paste the PEM private key that belongs to the certificate uploaded to the app registration.`,
      name,
    );
  }
  const keyBlocks = blocks.filter((block) => /PRIVATE KEY$/.test(block.label));
  const certificates = blocks.filter((block) => block.label === "CERTIFICATE").map((block) => block.text);
  if (
    keyBlocks.some(
      (block) => block.label === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/i.test(block.text),
    )
  ) {
    throw new ParameterError(
      `${name} is encrypted with a passphrase; export it without one: openssl pkey -in key.pem -out key-plain.pem`,
      name,
    );
  }
  if (keyBlocks.length === 0) {
    const hint =
      certificates.length > 0
        ? " It holds only a certificate: the private key is the other file (BEGIN PRIVATE KEY)."
        : " Paste the whole key including the -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines (PKCS#8 or PKCS#1 RSA).";
    throw new ParameterError(`${name} is not a PEM private key.${hint}`, name);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyBlocks[0]!.text, format: "pem" });
  } catch {
    throw new ParameterError(
      `${name} is not a PEM private key that can be read: its base64 content is damaged or incomplete. Paste the whole key file again.`,
      name,
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new ParameterError(
      `${name} must be an RSA key (it is ${key.asymmetricKeyType?.toUpperCase() ?? "another type"}): Microsoft Entra ID signs client assertions with RSA. Create an RSA certificate, e.g. with msint cert create.`,
      name,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new ParameterError(
      `${name} is ${bits} bits; Microsoft Entra requires 2048 bits or more. Create a new certificate with a 2048-bit key (msint cert create) and upload it.`,
      name,
    );
  }
  return { key, certificates };
}

/**
 * Validates the certificate parameters of a certificate-based flow. The private key is checked (PEM, not
 * encrypted, RSA, ≥ 2048 bits) and converted to PKCS#8; a given certificate must be X.509, belong to the key and
 * not have expired, and yields both thumbprints; a given thumbprint must match it. Without a certificate the
 * thumbprint is required.
 * @throws ParameterError naming "Private Key", "Certificate" or "Certificate Thumbprint".
 */
export function parseCertificateCredential(input: CertificateCredentialInput): CertificateCredential {
  const { key, certificates: bundled } = parsePrivateKey(input.privateKey);
  const privateKeyPkcs8Pem = key.export({ type: "pkcs8", format: "pem" }).toString();

  let certificatePem: string | undefined;
  if (input.certificate !== undefined && String(input.certificate).trim() !== "") {
    const repaired = repairPem(input.certificate);
    const certificates = blocksOf(repaired).filter((block) => block.label === "CERTIFICATE");
    if (certificates.length === 0) {
      const onlyKey = blocksOf(repaired).some((block) => /PRIVATE KEY$/.test(block.label));
      throw new ParameterError(
        `${CERTIFICATE_PARAMETER} is not a PEM certificate${onlyKey ? ": it holds a private key; paste the certificate (-----BEGIN CERTIFICATE-----) here" : ": paste the whole certificate including the -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines"}.`,
        CERTIFICATE_PARAMETER,
      );
    }
    certificatePem = `${certificates.map((block) => block.text).join("\n")}\n`;
  } else if (bundled.length > 0) {
    certificatePem = `${bundled.join("\n")}\n`;
  }

  const given =
    input.thumbprint !== undefined && String(input.thumbprint).trim() !== ""
      ? normalizeThumbprint(input.thumbprint)
      : undefined;

  if (certificatePem === undefined) {
    if (!given) {
      throw new ParameterError(
        `${CERTIFICATE_THUMBPRINT_PARAMETER} is empty: enter the thumbprint of the certificate uploaded to the app registration (Certificates & secrets), or provide the ${CERTIFICATE_PARAMETER} itself.`,
        CERTIFICATE_THUMBPRINT_PARAMETER,
      );
    }
    return given.algorithm === "sha1"
      ? { privateKeyPkcs8Pem, thumbprintSha1: given.hex }
      : { privateKeyPkcs8Pem, thumbprintSha256: given.hex };
  }

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    throw new ParameterError(
      `${CERTIFICATE_PARAMETER} is not a valid X.509 certificate: its base64 content is damaged or incomplete. Paste the whole certificate file again.`,
      CERTIFICATE_PARAMETER,
    );
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new ParameterError(
      `${CERTIFICATE_PARAMETER} and ${PRIVATE_KEY_PARAMETER} do not belong together: the certificate's public key is not the private key's. Use the key the certificate was created with.`,
      CERTIFICATE_PARAMETER,
    );
  }
  const notAfter = Date.parse(certificate.validTo);
  const now = input.now ?? Date.now();
  if (Number.isFinite(notAfter) && notAfter <= now) {
    throw new ParameterError(
      `${CERTIFICATE_PARAMETER} expired on ${new Date(notAfter).toISOString()}: create a new certificate (msint cert create), upload it to the app registration and update the instance.`,
      CERTIFICATE_PARAMETER,
    );
  }
  const thumbprintSha1 = certificate.fingerprint.replace(/:/g, "").toUpperCase();
  const thumbprintSha256 = certificate.fingerprint256.replace(/:/g, "").toUpperCase();
  if (given) {
    const expected = given.algorithm === "sha1" ? thumbprintSha1 : thumbprintSha256;
    if (given.hex !== expected) {
      throw new ParameterError(
        `${CERTIFICATE_THUMBPRINT_PARAMETER} does not match the certificate: its ${given.algorithm === "sha1" ? "SHA-1" : "SHA-256"} thumbprint is ${expected}. Correct the thumbprint, or leave it empty to use the certificate's.`,
        CERTIFICATE_THUMBPRINT_PARAMETER,
      );
    }
  }
  const result: CertificateCredential = {
    privateKeyPkcs8Pem,
    thumbprintSha1,
    thumbprintSha256,
    certificatePem,
  };
  if (Number.isFinite(notAfter)) result.notAfter = notAfter;
  return result;
}

/** Options of {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name, e.g. the instance name. */
  commonName: string;
  /** Validity in days from now, default 365. */
  days?: number;
  /** RSA key size, default 2048 (the minimum Entra ID accepts). */
  bits?: number;
  /** Clock, epoch ms. */
  now?: number;
}

/** A new self-signed certificate and its key, ready to upload to an app registration. */
export interface SelfSignedCertificate {
  certificatePem: string;
  /** PKCS#8 PEM, unencrypted. */
  privateKeyPem: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  /** Epoch ms. */
  notAfter: number;
}

/**
 * Creates an RSA key pair (node:crypto) and a self-signed X.509 certificate for it signed with SHA-256
 * (node-forge, loaded only here), for client-credential authentication with a certificate.
 */
export async function createSelfSignedCertificate(
  options: SelfSignedCertificateOptions,
): Promise<SelfSignedCertificate> {
  const commonName = String(options.commonName ?? "").trim();
  if (commonName === "") throw new ParameterError("The certificate name is empty.", "name");
  const days = options.days ?? 365;
  const bits = options.bits ?? MIN_RSA_BITS;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new ParameterError("days must be a whole number between 1 and 3650.", "days");
  }
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS || bits > 8192) {
    throw new ParameterError(`bits must be between ${MIN_RSA_BITS} and 8192.`, "bits");
  }
  const [forgeModule, keys] = await Promise.all([
    import("node-forge"),
    new Promise<{ publicKey: string; privateKey: string }>((resolve, reject) =>
      generateKeyPair(
        "rsa",
        {
          modulusLength: bits,
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        },
        (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })),
      ),
    ),
  ]);
  // node-forge is CommonJS: its API is the default export.
  const forge = forgeModule.default;
  const now = options.now ?? Date.now();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  // A positive serial of 16 random bytes (the top bit cleared so it is not read as negative).
  const serial = forge.util.bytesToHex(forge.random.getBytesSync(16));
  certificate.serialNumber = `${(Number.parseInt(serial.slice(0, 2), 16) & 0x7f).toString(16).padStart(2, "0")}${serial.slice(2)}`;
  // Backdated a little so a clock that is slightly behind still accepts it.
  certificate.validity.notBefore = new Date(now - 5 * 60_000);
  certificate.validity.notAfter = new Date(now + days * 86_400_000);
  const subject = [{ name: "commonName", value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", clientAuth: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate).replace(/\r\n/g, "\n");
  const x509 = new X509Certificate(certificatePem);
  return {
    certificatePem,
    privateKeyPem: keys.privateKey,
    thumbprintSha1: x509.fingerprint.replace(/:/g, "").toUpperCase(),
    thumbprintSha256: x509.fingerprint256.replace(/:/g, "").toUpperCase(),
    notAfter: Date.parse(x509.validTo),
  };
}
