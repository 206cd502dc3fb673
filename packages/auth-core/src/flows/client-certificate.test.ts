import { constants, createHash, generateKeyPairSync, verify, X509Certificate } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSelfSignedCertificate, type SelfSignedCertificate } from "../certificates.js";
import { AuthenticationError, ParameterError } from "../errors.js";
import { getRedactor, REDACTED } from "../redact.js";
import { createClientCertificateStrategy } from "./client-certificate.js";
import {
  decodeJwt,
  entraError,
  type FakeServer,
  startFakeServer,
  testTransport,
  tokenReply,
} from "./fake-server.test-support.js";

let certificate: SelfSignedCertificate;
let server: FakeServer | undefined;

beforeAll(async () => {
  certificate = await createSelfSignedCertificate({ commonName: "msint-client-certificate-test" });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function verifySignature(jwt: string, alg: "PS256" | "RS256"): boolean {
  const [header, claims, signature] = jwt.split(".");
  const key = new X509Certificate(certificate.certificatePem).publicKey;
  return verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    alg === "PS256"
      ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : key,
    Buffer.from(signature!, "base64url"),
  );
}

describe("createClientCertificateStrategy (real MSAL against a local token endpoint)", () => {
  it("signs PS256 with x5t#S256 when the certificate is given, in one request without discovery", async () => {
    server = await startFakeServer(() => tokenReply({ access_token: "at-1", expires_in: 3599 }));
    const strategy = createClientCertificateStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      privateKey: certificate.privateKeyPem.replace(/\n/g, " "),
      certificate: certificate.certificatePem,
      loginHost: server.url,
      transport: testTransport(),
    });
    const { token } = await strategy.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    expect(token).toMatchObject({ accessToken: "at-1", expiresInSeconds: 3599 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /tenant-1/oauth2/v2.0/token"]);
    const form = server.requests[0]!.form;
    expect(form.get("client_id")).toBe("client-1");
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("https://graph.microsoft.com/.default");
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(form.has("client_secret")).toBe(false);
    const assertion = form.get("client_assertion")!;
    const { header, claims } = decodeJwt(assertion);
    expect(header).toMatchObject({
      alg: "PS256",
      typ: "JWT",
      "x5t#S256": Buffer.from(certificate.thumbprintSha256, "hex").toString("base64url"),
    });
    expect(header["x5t"]).toBeUndefined();
    expect(claims).toMatchObject({
      aud: `${server.url}/tenant-1/oauth2/v2.0/token`,
      iss: "client-1",
      sub: "client-1",
    });
    expect(Number(claims["exp"]) - Number(claims["nbf"])).toBeLessThanOrEqual(600);
    expect(verifySignature(assertion, "PS256")).toBe(true);
  });

  it("signs RS256 with x5t when only a SHA-1 thumbprint (portal format) is given", async () => {
    server = await startFakeServer(() => tokenReply({ access_token: "at-2" }));
    const thumbprint = certificate.thumbprintSha1.toLowerCase().match(/../g)!.join(":");
    const strategy = createClientCertificateStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      privateKey: certificate.privateKeyPem,
      thumbprint,
      loginHost: server.url,
      transport: testTransport(),
    });
    await strategy.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    const assertion = server.requests[0]!.form.get("client_assertion")!;
    const { header } = decodeJwt(assertion);
    expect(header).toMatchObject({
      alg: "RS256",
      x5t: Buffer.from(certificate.thumbprintSha1, "hex").toString("base64url"),
    });
    expect(verifySignature(assertion, "RS256")).toBe(true);
  });

  it("sends the chain as x5c when asked (subject name / issuer authentication)", async () => {
    server = await startFakeServer(() => tokenReply({ access_token: "at-3" }));
    const strategy = createClientCertificateStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      privateKey: certificate.privateKeyPem,
      certificate: certificate.certificatePem,
      sendCertificateChain: true,
      loginHost: server.url,
      transport: testTransport(),
    });
    await strategy.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    const { header } = decodeJwt(server.requests[0]!.form.get("client_assertion")!);
    const der = new X509Certificate(certificate.certificatePem).raw.toString("base64");
    expect(header["x5c"]).toEqual([der]);
  });

  it("translates AADSTS700027 (key not registered)", async () => {
    server = await startFakeServer(() =>
      entraError(
        401,
        "invalid_client",
        700027,
        "Client assertion failed signature validation. Thumbprint of key used by client: 'ABC'.",
      ),
    );
    const strategy = createClientCertificateStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      privateKey: certificate.privateKeyPem,
      certificate: certificate.certificatePem,
      loginHost: server.url,
      transport: testTransport(),
      commandPrefix: "msgraph-user",
    });
    const error = await strategy
      .fetchToken(["https://graph.microsoft.com/.default"], undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^AADSTS700027: Client assertion failed signature validation/);
    expect(error.message).toContain("How to fix:");
    expect(error.aadsts).toEqual([700027]);
  });

  it("validates the parameters before any request", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() =>
      createClientCertificateStrategy({
        tenantId: "t",
        clientId: "c",
        privateKey: ec,
        thumbprint: "AB".repeat(20),
        loginHost: "https://login.microsoftonline.com",
        transport: testTransport(),
      }),
    ).toThrow(ParameterError);
    expect(() =>
      createClientCertificateStrategy({
        tenantId: "t",
        clientId: "c",
        privateKey: certificate.privateKeyPem,
        thumbprint: "12345",
        loginHost: "https://login.microsoftonline.com",
        transport: testTransport(),
      }),
    ).toThrow(/Certificate Thumbprint/);
  });

  it("has a fingerprint that follows the credential and reveals nothing, and registers the key for redaction", async () => {
    const other = await createSelfSignedCertificate({ commonName: "other" });
    const make = (privateKey: string, thumbprint: string) =>
      createClientCertificateStrategy({
        tenantId: "t",
        clientId: "c",
        privateKey,
        thumbprint,
        loginHost: "https://login.microsoftonline.com",
        transport: testTransport(),
      }).fingerprint;
    const base = make(certificate.privateKeyPem, certificate.thumbprintSha1);
    expect(make(certificate.privateKeyPem, certificate.thumbprintSha1.toLowerCase())).toBe(base);
    expect(make(certificate.privateKeyPem, other.thumbprintSha1)).not.toBe(base);
    expect(make(other.privateKeyPem, certificate.thumbprintSha1)).not.toBe(base);
    expect(base).not.toContain(certificate.thumbprintSha1);
    expect(base).not.toContain(
      createHash("sha256").update(certificate.privateKeyPem).digest("hex").slice(0, 24),
    );
    expect(getRedactor().redact(`key: ${certificate.privateKeyPem}`)).toBe(`key: ${REDACTED}`);
  });
});

describe("createClientCertificateStrategy with a parsed credential", () => {
  it("accepts the result of parseCertificateCredential as certificate", async () => {
    const { parseCertificateCredential } = await import("../certificates.js");
    server = await startFakeServer(() => tokenReply({ access_token: "at-parsed" }));
    const strategy = createClientCertificateStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      certificate: parseCertificateCredential({
        privateKey: certificate.privateKeyPem,
        thumbprint: certificate.thumbprintSha1,
      }),
      loginHost: server.url,
      transport: testTransport(),
    });
    expect((await strategy.fetchToken(["s/.default"], undefined)).token.accessToken).toBe("at-parsed");
    expect(decodeJwt(server.requests[0]!.form.get("client_assertion")!).header["alg"]).toBe("RS256");
    expect(() =>
      createClientCertificateStrategy({
        tenantId: "t",
        clientId: "c",
        thumbprint: certificate.thumbprintSha1,
        loginHost: "https://login.microsoftonline.com",
        transport: testTransport(),
      }),
    ).toThrow(/^Private Key is empty/);
  });
});
