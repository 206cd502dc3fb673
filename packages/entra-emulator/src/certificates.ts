import {
  createHash,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from "node:crypto";
import forge from "node-forge";
import type { TestCertificate } from "./types.js";

/** Subject or issuer of a certificate. */
export interface DistinguishedName {
  commonName: string;
  organization?: string;
}

/** What {@link buildCertificate} needs. Keys are node:crypto keys; node-forge only lays out the X.509 structure. */
export interface CertificateSpec {
  subject: DistinguishedName;
  /** Defaults to the subject (self-signed). */
  issuer?: DistinguishedName;
  /** The certified public key. */
  publicKey: KeyObject;
  /** The issuer's private key, which signs the certificate (RSA, SHA-256). */
  signingKey: KeyObject;
  days: number;
  /** node-forge extension objects (`basicConstraints`, `subjectAltName`, …). */
  extensions: object[];
  /** Epoch ms of `notBefore` (default: one minute ago, to absorb clock skew). */
  notBefore?: number;
}

/** node-forge's internal TBSCertificate builder (present in node-forge, missing from its typings). */
type ForgePkiInternals = { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

function attributes(name: DistinguishedName): forge.pki.CertificateField[] {
  const fields: forge.pki.CertificateField[] = [{ name: "commonName", value: name.commonName }];
  if (name.organization) fields.push({ name: "organizationName", value: name.organization });
  return fields;
}

/**
 * Build and sign an X.509 v3 certificate. node-forge lays out the TBSCertificate; node:crypto computes the
 * RSA signature (natively, so a certificate costs milliseconds, not the seconds of a pure-JS RSA operation).
 */
export function buildCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    spec.publicKey.export({ type: "spki", format: "pem" }) as string,
  );
  // A positive serial: the first byte stays below 0x80.
  cert.serialNumber = `1${randomBytes(15).toString("hex")}`;
  const notBefore = spec.notBefore ?? Date.now() - 60_000;
  cert.validity.notBefore = new Date(notBefore);
  cert.validity.notAfter = new Date(notBefore + spec.days * 86_400_000);
  cert.setSubject(attributes(spec.subject));
  cert.setIssuer(attributes(spec.issuer ?? spec.subject));
  cert.setExtensions(spec.extensions);
  cert.signatureOid = forge.pki.oids["sha256WithRSAEncryption"]!;
  cert.siginfo.algorithmOid = cert.signatureOid;
  cert.tbsCertificate = (forge.pki as unknown as ForgePkiInternals).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, spec.signingKey).toString("binary");
  return forge.pki.certificateToPem(cert);
}

/** Upper-case hex SHA-1 and SHA-256 thumbprints of a certificate's DER. */
export function thumbprints(der: Buffer): { sha1: string; sha256: string } {
  return {
    sha1: createHash("sha1").update(der).digest("hex").toUpperCase(),
    sha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
  };
}

/** Parameters of {@link createTestCertificate}. */
export interface TestCertificateOptions {
  /** Subject common name, e.g. `msint test`. */
  commonName: string;
  /** RSA modulus length. Default 2048 (Entra refuses keys under 2048 bits with AADSTS50032). */
  bits?: number;
  /** Validity in days from now. Default 365. */
  days?: number;
}

/**
 * Make a self-signed client-authentication certificate and its RSA key, for app registrations in tests (the
 * emulator's seed `certificates: [{ pem }]`, MSAL's `clientCertificate`, XSOAR's thumbprint + private key).
 */
export function createTestCertificate(options: TestCertificateOptions): TestCertificate {
  const bits = options.bits ?? 2048;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const certificatePem = buildCertificate({
    subject: { commonName: options.commonName },
    publicKey,
    signingKey: privateKey,
    days: options.days ?? 365,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });
  const { sha1, sha256 } = thumbprints(new X509Certificate(certificatePem).raw);
  return {
    certificatePem,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    privateKeyPkcs1Pem: privateKey.export({ type: "pkcs1", format: "pem" }) as string,
    thumbprintSha1: sha1,
    thumbprintSha256: sha256,
  };
}

/** A registered certificate, parsed once. */
export interface RegisteredCertificate {
  sha1: Buffer;
  sha256: Buffer;
  publicKey: KeyObject;
  /** RSA modulus length (0 for non-RSA keys). */
  bits: number;
  validFrom: Date;
  validTo: Date;
}

const parsed = new Map<string, RegisteredCertificate | null>();

/** Parse a seed certificate PEM (cached by its text). Undefined when it is not a certificate. */
export function registeredCertificate(pem: string): RegisteredCertificate | undefined {
  const cached = parsed.get(pem);
  if (cached !== undefined) return cached ?? undefined;
  let result: RegisteredCertificate | null = null;
  try {
    const certificate = new X509Certificate(pem);
    result = {
      sha1: createHash("sha1").update(certificate.raw).digest(),
      sha256: createHash("sha256").update(certificate.raw).digest(),
      publicKey: certificate.publicKey,
      bits: certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
    };
  } catch {
    result = null;
  }
  if (parsed.size > 1000) parsed.clear();
  parsed.set(pem, result);
  return result ?? undefined;
}
