import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClientAssertion,
  createTestCertificate,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  demoSeed,
  type EmulatorSeed,
  loadSeed,
  type RunningEmulator,
  startEmulator,
  type TestCertificate,
} from "../src/index.js";
import { decodeJwt, fakeClock, GRAPH_SCOPE, graphGet, postToken } from "./helpers.js";

const TENANT = "0f3c6a2e-5b7d-4e9f-8a1c-2d4e6f8a0b1c";
const APP = "5a7c9e1b-3d5f-4a7c-9e1b-3d5f7a9c1e3a";

describe("createTestCertificate", () => {
  it("makes a self-signed X.509 certificate with both thumbprints and PKCS#8 / PKCS#1 keys", () => {
    const certificate = createTestCertificate({ commonName: "msint unit", days: 30 });
    const x509 = new X509Certificate(certificate.certificatePem);
    expect(x509.subject).toBe("CN=msint unit");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.thumbprintSha1).toBe(x509.fingerprint.replace(/:/g, ""));
    expect(certificate.thumbprintSha256).toBe(x509.fingerprint256.replace(/:/g, ""));
    expect(certificate.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
    expect(certificate.privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(certificate.privateKeyPkcs1Pem).toContain("-----BEGIN RSA PRIVATE KEY-----");
    expect(new Date(x509.validTo).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it("is accepted by loadSeed, which refuses a certificate field that is not a certificate", () => {
    const seed = structuredClone(demoSeed);
    seed.tenants[0]!.apps[0]!.certificates = [
      { pem: createTestCertificate({ commonName: "x" }).certificatePem },
    ];
    expect(() => loadSeed(seed)).not.toThrow();
    seed.tenants[0]!.apps[0]!.certificates = [
      { pem: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----" },
    ];
    expect(() => loadSeed(seed)).toThrow(
      "seed.tenants[0].apps[0].certificates[0].pem must be an X.509 certificate",
    );
  });
});

describe("certificate client assertions", () => {
  const clock = fakeClock(Date.now());
  let emulator: RunningEmulator;
  let certificate: TestCertificate;
  let weak: TestCertificate;
  let tokenEndpoint: string;
  beforeAll(async () => {
    certificate = createTestCertificate({ commonName: "msint cert test" });
    weak = createTestCertificate({ commonName: "msint weak", bits: 1024 });
    const seed: EmulatorSeed = {
      tenants: [
        {
          id: TENANT,
          domains: ["fabrikam.onmicrosoft.com"],
          apps: [
            {
              clientId: APP,
              displayName: "cert app",
              certificates: [{ pem: certificate.certificatePem }, { pem: weak.certificatePem }],
              grants: { graph: ["User.Read.All"] },
            },
            { clientId: DEMO_CLIENT_ID, displayName: "other app", secrets: [{ value: "s" }] },
          ],
          users: [],
        },
      ],
    };
    emulator = await startEmulator({ seed, now: clock.now });
    tokenEndpoint = `${emulator.url}/${TENANT}/oauth2/v2.0/token`;
  });
  afterAll(() => emulator.close());

  function assertion(overrides: Partial<Parameters<typeof createClientAssertion>[0]> = {}): string {
    return createClientAssertion({
      clientId: APP,
      tokenEndpoint,
      privateKeyPem: certificate.privateKeyPem,
      thumbprintSha256: certificate.thumbprintSha256,
      now: clock.now(),
      ...overrides,
    });
  }

  function request(clientAssertion: string, extra: Record<string, string> = {}, tenant = TENANT) {
    return postToken(
      emulator,
      {
        grant_type: "client_credentials",
        client_id: APP,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: clientAssertion,
        scope: GRAPH_SCOPE,
        ...extra,
      },
      { tenant },
    );
  }

  function expectError(body: Record<string, unknown>, error: string, code: number, text?: string): void {
    expect(body["error"]).toBe(error);
    expect(body["error_codes"]).toEqual([code]);
    if (text) expect(body["error_description"]).toContain(text);
  }

  it("accepts PS256 with x5t#S256 and RS256 with x5t, and issues a certificate-credential app token", async () => {
    for (const jwt of [
      assertion(),
      assertion({ thumbprintSha256: undefined, thumbprintSha1: certificate.thumbprintSha1 }),
    ]) {
      const { status, body } = await request(jwt);
      expect(status).toBe(200);
      const claims = decodeJwt(body["access_token"] as string).claims;
      expect(claims).toMatchObject({ appid: APP, appidacr: "2", roles: ["User.Read.All"] });
      expect((await graphGet(emulator, "/v1.0/users", body["access_token"] as string)).status).toBe(200);
    }
  });

  it("accepts XSOAR's padded x5t, the tenant by domain, and the v1 token endpoint as audience", async () => {
    const padded = Buffer.from(certificate.thumbprintSha1, "hex")
      .toString("base64")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect(padded.endsWith("=")).toBe(true);
    const header = { alg: "RS256", typ: "JWT", x5t: padded };
    const jwt = assertion({
      thumbprintSha256: undefined,
      thumbprintSha1: certificate.thumbprintSha1,
      claims: { nbf: undefined },
    });
    const [, payload, _signature] = jwt.split(".");
    // Re-sign with the padded header (as PyJWT + msal for Python produce it).
    const { createPrivateKey, sign } = await import("node:crypto");
    const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${payload}`;
    const signed = `${input}.${sign("sha256", Buffer.from(input), createPrivateKey(certificate.privateKeyPem)).toString("base64url")}`;
    expect((await request(signed)).status).toBe(200);
    const byDomain = assertion({
      tokenEndpoint: `${emulator.url}/fabrikam.onmicrosoft.com/oauth2/v2.0/token`,
    });
    expect((await request(byDomain, {}, "fabrikam.onmicrosoft.com")).status).toBe(200);
    const v1 = assertion({ tokenEndpoint: `${emulator.url}/${TENANT}/oauth2/token` });
    expect((await request(v1)).status).toBe(200);
  });

  it("refuses an unknown thumbprint and a bad signature with AADSTS700027", async () => {
    const stranger = createTestCertificate({ commonName: "stranger" });
    const unknown = await request(
      assertion({ privateKeyPem: stranger.privateKeyPem, thumbprintSha256: stranger.thumbprintSha256 }),
    );
    expect(unknown.status).toBe(401);
    expectError(unknown.body, "invalid_client", 700027, "Client assertion failed signature validation.");
    expect(unknown.body["error_description"]).toContain(
      `Thumbprint of key used by client: '${stranger.thumbprintSha256}'`,
    );
    // The registered thumbprint, signed with another key.
    const forged = await request(assertion({ privateKeyPem: stranger.privateKeyPem }));
    expectError(forged.body, "invalid_client", 700027, "The provided signature value did not match");
    expect(forged.body["error_description"]).toContain(`'${certificate.thumbprintSha256}'`);
    const missing = await request(assertion({ thumbprintSha256: undefined, thumbprintSha1: "00" }));
    expectError(missing.body, "invalid_client", 700027, "The key was not found.");
  });

  it("refuses a key under 2048 bits with AADSTS50032", async () => {
    const { body } = await request(
      assertion({ privateKeyPem: weak.privateKeyPem, thumbprintSha256: weak.thumbprintSha256 }),
    );
    expectError(body, "invalid_client", 50032, "2048");
  });

  it("checks aud (AADSTS50012), iss = sub (50048) and sub = client (700021)", async () => {
    const wrongAud = await request(
      assertion({ tokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token` }),
    );
    expect(wrongAud.status).toBe(401);
    expectError(wrongAud.body, "invalid_client", 50012, "audience");
    const otherTenantAud = await request(
      assertion({ tokenEndpoint: `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token` }),
    );
    expectError(otherTenantAud.body, "invalid_client", 50012);
    const mismatch = await request(assertion({ claims: { sub: randomUUID() } }));
    expectError(mismatch.body, "invalid_client", 50048, "Subject mismatches Issuer");
    const otherClient = await request(assertion({ clientId: DEMO_CLIENT_ID }));
    expectError(otherClient.body, "invalid_client", 700021, "doesn't match 'client_id'");
  });

  it("checks the time window: expired, not yet valid, longer than 10 minutes (AADSTS500133)", async () => {
    const now = Math.floor(clock.now() / 1000);
    const expired = await request(
      assertion({ claims: { nbf: now - 1200, iat: now - 1200, exp: now - 600 } }),
    );
    expectError(expired.body, "invalid_client", 500133, "Assertion is not within its valid time range.");
    const future = await request(assertion({ claims: { nbf: now + 900, iat: now + 900, exp: now + 1200 } }));
    expectError(future.body, "invalid_client", 500133, "not yet valid");
    const tooLong = await request(assertion({ lifetimeSeconds: 3600 }));
    expectError(tooLong.body, "invalid_client", 500133, "at most 10 minutes");
    // Within the 5-minute skew both ways, and MSAL's 600 s lifetime.
    expect(
      (await request(assertion({ claims: { nbf: now + 120, iat: now + 120, exp: now + 720 } }))).status,
    ).toBe(200);
    expect(
      (await request(assertion({ claims: { exp: now - 60, nbf: now - 660, iat: now - 660 } }))).status,
    ).toBe(200);
  });

  it("refuses a jti reused by another assertion (AADSTS50012) but accepts MSAL-style reuse of one assertion", async () => {
    const jti = randomUUID();
    const first = assertion({ claims: { jti } });
    expect((await request(first)).status).toBe(200);
    expect((await request(first)).status).toBe(200); // identical assertion reused, as MSAL does for 10 minutes
    const replay = await request(assertion({ claims: { jti, iat: Math.floor(clock.now() / 1000) - 1 } }));
    expectError(replay.body, "invalid_client", 50012, "'jti' claim was already used");
  });

  it("refuses malformed assertions and a wrong assertion type", async () => {
    const malformed = await request("not.a.jwt!");
    expectError(malformed.body, "invalid_request", 50027);
    const wrongType = await request(assertion(), { client_assertion_type: "urn:other" });
    expectError(wrongType.body, "invalid_request", 900144, "client_assertion_type");
  });

  it("with strictAssertionReplay, even the identical assertion is refused the second time", async () => {
    const strict = await startEmulator({
      seed: {
        tenants: [
          {
            id: TENANT,
            apps: [{ clientId: APP, displayName: "a", certificates: [{ pem: certificate.certificatePem }] }],
          },
        ],
      },
      strictAssertionReplay: true,
    });
    try {
      const jwt = createClientAssertion({
        clientId: APP,
        tokenEndpoint: `${strict.url}/${TENANT}/oauth2/v2.0/token`,
        privateKeyPem: certificate.privateKeyPem,
        thumbprintSha1: certificate.thumbprintSha1,
      });
      const form = {
        grant_type: "client_credentials",
        client_id: APP,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: jwt,
        scope: GRAPH_SCOPE,
      };
      expect((await postToken(strict, form, { tenant: TENANT })).status).toBe(200);
      expect((await postToken(strict, form, { tenant: TENANT })).body["error_codes"]).toEqual([50012]);
    } finally {
      await strict.close();
    }
  });
});

describe("the demo certificate app", () => {
  it("generates its certificate on first use, and the key works", async () => {
    const emulator = await startEmulator();
    try {
      const app = emulator.seed.tenants[0]!.apps.find(
        (candidate) => candidate.clientId === DEMO_CERT_CLIENT_ID,
      )!;
      expect(app.displayName).toBe("msint demo (certificate)");
      expect(app.certificates ?? []).toHaveLength(0); // nothing generated at start
      const demo = emulator.demoCertificate!;
      expect(emulator.demoCertificate).toBe(demo);
      expect(app.certificates).toEqual([{ pem: demo.certificatePem }]);
      const sha256 = createHash("sha256").update(new X509Certificate(demo.certificatePem).raw).digest("hex");
      expect(demo.thumbprintSha256).toBe(sha256.toUpperCase());
      const jwt = createClientAssertion({
        clientId: DEMO_CERT_CLIENT_ID,
        tokenEndpoint: `${emulator.url}/${DEMO_TENANT_DOMAIN}/oauth2/v2.0/token`,
        privateKeyPem: demo.privateKeyPkcs1Pem,
        thumbprintSha256: demo.thumbprintSha256,
      });
      const { status } = await postToken(
        emulator,
        {
          grant_type: "client_credentials",
          client_id: DEMO_CERT_CLIENT_ID,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: jwt,
          scope: GRAPH_SCOPE,
        },
        { tenant: DEMO_TENANT_DOMAIN },
      );
      expect(status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("is generated when a token request comes first", async () => {
    const emulator = await startEmulator();
    try {
      const { body } = await postToken(emulator, {
        grant_type: "client_credentials",
        client_id: DEMO_CERT_CLIENT_ID,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: createClientAssertion({
          clientId: DEMO_CERT_CLIENT_ID,
          tokenEndpoint: `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
          privateKeyPem: createTestCertificate({ commonName: "x" }).privateKeyPem,
          thumbprintSha1: "AB".repeat(20),
        }),
        scope: GRAPH_SCOPE,
      });
      expect(body["error_codes"]).toEqual([700027]);
      const app = emulator.seed.tenants[0]!.apps.find(
        (candidate) => candidate.clientId === DEMO_CERT_CLIENT_ID,
      )!;
      expect(app.certificates).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });
});
