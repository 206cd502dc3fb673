import { createPrivateKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createSelfSignedCertificate,
  normalizeThumbprint,
  parseCertificateCredential,
  repairPem,
  type SelfSignedCertificate,
} from "./certificates.js";
import { ParameterError } from "./errors.js";

function parameterError(fn: () => unknown): ParameterError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterError);
    return error as ParameterError;
  }
  throw new Error("expected a ParameterError");
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const derOf = (pem: string) => createPrivateKey(pem).export({ type: "pkcs8", format: "der" }).toString("hex");

let certificate: SelfSignedCertificate;
beforeAll(async () => {
  certificate = await createSelfSignedCertificate({ commonName: "msint-test", days: 30 });
});

describe("normalizeThumbprint", () => {
  const sha1 = "3F2504E04F8911D39A0C0305E82C3301AABBCCDD";
  it.each([
    [sha1, sha1],
    [sha1.toLowerCase(), sha1],
    ["3f:25:04:e0:4f:89:11:d3:9a:0c:03:05:e8:2c:33:01:aa:bb:cc:dd", sha1],
    ["3F 25 04 E0 4F 89 11 D3 9A 0C 03 05 E8 2C 33 01 AA BB CC DD", sha1],
    [`SHA1 Fingerprint=${sha1.match(/../g)!.join(":")}`, sha1],
    [`sha1 Fingerprint=${sha1}`, sha1],
    [`\u200e${sha1}`, sha1],
  ])("reads %s", (input, hex) => {
    expect(normalizeThumbprint(input)).toEqual({ hex, algorithm: "sha1" });
  });

  it("tells SHA-256 by its length", () => {
    const hex = "AB".repeat(32);
    expect(normalizeThumbprint(`sha256 Fingerprint=${hex.match(/../g)!.join(":")}`)).toEqual({
      hex,
      algorithm: "sha256",
    });
  });

  it("rejects other lengths and non-hex with a fix naming Certificate Thumbprint, without echoing the input", () => {
    for (const bad of [
      "",
      "ABC",
      "AB".repeat(21),
      "Z".repeat(40),
      "-----BEGIN PRIVATE KEY----- secretstuff",
    ]) {
      const error = parameterError(() => normalizeThumbprint(bad));
      expect(error.parameter).toBe("Certificate Thumbprint");
      expect(error.message).toContain("40 hexadecimal characters (SHA-1, as shown in Certificates & secrets");
      expect(error.message).toContain("or 64 (SHA-256)");
      expect(error.message).not.toContain("secretstuff");
    }
  });

  it("property: any case and separators of 40/64 hex digits normalise to the same value", () => {
    const separator = fc.constantFrom("", ":", " ", "-", "  ", ": ");
    fc.assert(
      fc.property(
        fc.constantFrom(20, 32).chain((bytes) => fc.uint8Array({ minLength: bytes, maxLength: bytes })),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        separator,
        fc.constantFrom("", "SHA1 Fingerprint=", "sha256 Fingerprint=", "  "),
        (bytes, upper, sep, prefix) => {
          const hex = Buffer.from(bytes).toString("hex");
          const cased = [...hex].map((char, index) => (upper[index] ? char.toUpperCase() : char));
          const pairs: string[] = [];
          for (let i = 0; i < cased.length; i += 2) pairs.push(cased[i]! + cased[i + 1]!);
          const result = normalizeThumbprint(`${prefix}${pairs.join(sep)} `);
          expect(result.hex).toBe(hex.toUpperCase());
          expect(result.algorithm).toBe(bytes.length === 20 ? "sha1" : "sha256");
        },
      ),
    );
  });

  it("property: other lengths are refused", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).filter((n) => n !== 40 && n !== 64),
        (length) => {
          const error = parameterError(() => normalizeThumbprint("a".repeat(length)));
          expect(error.parameter).toBe("Certificate Thumbprint");
        },
      ),
    );
  });
});

describe("repairPem", () => {
  it("rebuilds a PEM whose line breaks became spaces", () => {
    const oneLine = pkcs8.replace(/\n/g, " ");
    expect(repairPem(oneLine)).toBe(pkcs8);
  });

  it("rebuilds literal \\n sequences and CRLF, and drops text around the block", () => {
    expect(repairPem(`"${pkcs1.replace(/\n/g, "\\n")}"`)).toBe(pkcs1);
    expect(repairPem(`key follows:\r\n${pkcs8.replace(/\n/g, "\r\n")}\r\n-- end`)).toBe(pkcs8);
  });

  it("keeps several blocks and the headers of legacy encrypted keys", () => {
    const encrypted = rsa.privateKey
      .export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "pw" })
      .toString();
    const repaired = repairPem(encrypted.replace(/\n/g, " "));
    expect(repaired).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,/,
    );
    expect(
      createPrivateKey({ key: repaired, passphrase: "pw" }).export({ type: "pkcs8", format: "der" }),
    ).toEqual(rsa.privateKey.export({ type: "pkcs8", format: "der" }));
    const both = repairPem(`${certificate.certificatePem} ${pkcs8}`.replace(/\n/g, " "));
    expect(both).toBe(`${certificate.certificatePem}${pkcs8}`);
  });

  it("property: a PEM mangled by one-line fields parses to the same key", () => {
    const expected = derOf(pkcs8);
    fc.assert(
      fc.property(
        fc.constantFrom(pkcs8, pkcs1),
        fc.constantFrom(" ", "\\n", "\r\n", "\\r\\n", "  ", "\n\n"),
        fc.constantFrom("", " ", "\n", '"', "  \t"),
        (pem, lineBreak, around) => {
          const mangled = `${around}${pem.trimEnd().split("\n").join(lineBreak)}${around}`;
          expect(derOf(repairPem(mangled))).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("parseCertificateCredential", () => {
  it("converts PKCS#1 to PKCS#8 and keeps a SHA-1 thumbprint", () => {
    const result = parseCertificateCredential({
      privateKey: pkcs1.replace(/\n/g, " "),
      thumbprint: "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd",
    });
    expect(result.privateKeyPkcs8Pem).toBe(pkcs8);
    expect(result.thumbprintSha1).toBe("AABBCCDDEEFF00112233445566778899AABBCCDD");
    expect(result.thumbprintSha256).toBeUndefined();
    expect(result.certificatePem).toBeUndefined();
  });

  it("takes both thumbprints from a certificate that matches the key", () => {
    const x509 = new X509Certificate(certificate.certificatePem);
    const result = parseCertificateCredential({
      privateKey: certificate.privateKeyPem,
      certificate: certificate.certificatePem.replace(/\n/g, " "),
    });
    expect(result.thumbprintSha1).toBe(x509.fingerprint.replace(/:/g, ""));
    expect(result.thumbprintSha256).toBe(x509.fingerprint256.replace(/:/g, ""));
    expect(result.certificatePem).toBe(certificate.certificatePem);
    expect(result.notAfter).toBe(certificate.notAfter);
    // A given thumbprint of either algorithm must be the certificate's.
    expect(() =>
      parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        certificate: certificate.certificatePem,
        thumbprint: certificate.thumbprintSha1.toLowerCase(),
      }),
    ).not.toThrow();
    expect(() =>
      parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        certificate: certificate.certificatePem,
        thumbprint: certificate.thumbprintSha256,
      }),
    ).not.toThrow();
    const mismatch = parameterError(() =>
      parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        certificate: certificate.certificatePem,
        thumbprint: "00".repeat(20),
      }),
    );
    expect(mismatch.parameter).toBe("Certificate Thumbprint");
    expect(mismatch.message).toMatch(/^Certificate Thumbprint does not match the certificate/);
    expect(mismatch.message).toContain(certificate.thumbprintSha1);
  });

  it("accepts the certificate bundled with the key in the Private Key field", () => {
    const result = parseCertificateCredential({
      privateKey: `${certificate.certificatePem}${certificate.privateKeyPem}`,
    });
    expect(result.thumbprintSha256).toBe(certificate.thumbprintSha256);
  });

  it("refuses a certificate of another key, naming both parameters", () => {
    const error = parameterError(() =>
      parseCertificateCredential({ privateKey: pkcs8, certificate: certificate.certificatePem }),
    );
    expect(error.parameter).toBe("Certificate");
    expect(error.message).toContain("Certificate and Private Key do not belong together");
  });

  it("refuses an expired certificate", () => {
    const error = parameterError(() =>
      parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        certificate: certificate.certificatePem,
        now: certificate.notAfter + 1000,
      }),
    );
    expect(error.message).toMatch(/^Certificate expired on /);
  });

  it("requires a thumbprint when there is no certificate", () => {
    const error = parameterError(() => parseCertificateCredential({ privateKey: pkcs8 }));
    expect(error.parameter).toBe("Certificate Thumbprint");
  });

  it.each([
    [
      "an encrypted PKCS#8 key",
      () =>
        rsa.privateKey
          .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" })
          .toString(),
      "is encrypted with a passphrase; export it without one: openssl pkey -in key.pem -out key-plain.pem",
    ],
    [
      "an encrypted PKCS#1 key",
      () =>
        rsa.privateKey
          .export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "secret" })
          .toString(),
      "is encrypted with a passphrase",
    ],
    [
      "an EC key",
      () =>
        generateKeyPairSync("ec", { namedCurve: "P-256" })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
      "must be an RSA key",
    ],
    [
      "a 1024-bit key",
      () =>
        generateKeyPairSync("rsa", { modulusLength: 1024 })
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
      "is 1024 bits; Microsoft Entra requires 2048 bits or more",
    ],
    ["garbage", () => "hello world", "is not a PEM private key"],
    [
      "a damaged key",
      () => pkcs8.replace(/\n[A-Za-z0-9+/]{64}\n/, "\nAAAA\n"),
      "is not a PEM private key that can be read",
    ],
    ["a certificate", () => certificate.certificatePem, "holds only a certificate"],
    ["nothing", () => "  ", "Private Key is empty"],
  ])("explains %s", (_name, key, expected) => {
    const error = parameterError(() =>
      parseCertificateCredential({ privateKey: key(), thumbprint: "AB".repeat(20) }),
    );
    expect(error.parameter).toBe("Private Key");
    expect(error.message).toContain(expected);
    expect(error.message).toMatch(/^Private Key /);
  });

  it("explains a certificate that is not one", () => {
    for (const bad of ["not a cert", pkcs8, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"]) {
      const error = parameterError(() => parseCertificateCredential({ privateKey: pkcs8, certificate: bad }));
      expect(error.parameter).toBe("Certificate");
    }
  });
});

describe("createSelfSignedCertificate", () => {
  it("creates a SHA-256-signed certificate for a 2048-bit key with both thumbprints", () => {
    const x509 = new X509Certificate(certificate.certificatePem);
    expect(x509.subject).toBe("CN=msint-test");
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(certificate.privateKeyPem))).toBe(true);
    expect(certificate.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
    expect(certificate.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    const days = (certificate.notAfter - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // The signature algorithm is sha256WithRSAEncryption (OID 1.2.840.113549.1.1.11).
    expect(x509.raw.toString("hex")).toContain("2a864886f70d01010b");
    // What it creates is accepted by the parser.
    expect(
      parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        certificate: certificate.certificatePem,
      }),
    ).toMatchObject({ thumbprintSha1: certificate.thumbprintSha1 });
  });

  it("validates its options", async () => {
    await expect(createSelfSignedCertificate({ commonName: " " })).rejects.toThrow(ParameterError);
    await expect(createSelfSignedCertificate({ commonName: "x", bits: 1024 })).rejects.toThrow(/bits/);
    await expect(createSelfSignedCertificate({ commonName: "x", days: 0 })).rejects.toThrow(/days/);
  });
});
