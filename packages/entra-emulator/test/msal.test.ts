import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { DEMO_GRAPH_ROLES, decodeJwt, redirectParams, TestBrowser } from "./helpers.js";
import { loadMsal } from "./msal-loader.js";

const msal = await loadMsal();
const REDIRECT = "http://localhost:8400/callback";

describe.skipIf(!msal)("real @azure/msal-node against the emulator", () => {
  let emulator: RunningEmulator;
  let metadata: string;
  beforeAll(async () => {
    emulator = await startEmulator({ deviceCodeIntervalSeconds: 1 });
    metadata = await (
      await fetch(`${emulator.url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`)
    ).text();
  });
  afterAll(() => emulator.close());

  const auth = () => ({
    authority: `https://login.emulator.test/${DEMO_TENANT_ID}`,
    knownAuthorities: ["login.emulator.test"],
    authorityMetadata: metadata,
  });

  it("acquireTokenByCode with PKCE, then a silent refresh", async () => {
    const app = new msal.ConfidentialClientApplication({
      auth: { ...auth(), clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET },
    });
    const { verifier, challenge } = await new msal.CryptoProvider().generatePkceCodes();
    const url: string = await app.getAuthCodeUrl({
      scopes: ["User.Read"],
      redirectUri: REDIRECT,
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
      state: "msal-state",
    });
    const browser = new TestBrowser(emulator.url);
    const page = await browser.get(url);
    let next = await browser.submit(page, {
      username: "meganb@contoso.onmicrosoft.com",
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    if (next.text.includes("Permissions requested")) next = await browser.submit(next, { action: "accept" });
    const code = redirectParams(next.location).get("code")!;
    const result = await app.acquireTokenByCode({
      code,
      scopes: ["User.Read"],
      redirectUri: REDIRECT,
      codeVerifier: verifier,
      state: "msal-state",
    });
    expect(result.account.username).toBe("meganb@contoso.onmicrosoft.com");
    expect(result.account.tenantId).toBe(DEMO_TENANT_ID);
    expect(decodeJwt(result.accessToken).claims["scp"]).toContain("User.Read");
    const refreshed = await app.acquireTokenSilent({
      account: result.account,
      scopes: ["User.Read"],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(emulator.tokenRequests().at(-1)!.grantType).toBe("refresh_token");
  });

  it("authenticates with a certificate (PS256 + x5t#S256, and RS256 + x5t), reusing one assertion", async () => {
    const certificate = emulator.demoCertificate!;
    for (const clientCertificate of [
      { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKeyPem },
      { thumbprint: certificate.thumbprintSha1, privateKey: certificate.privateKeyPem },
    ]) {
      const app = new msal.ConfidentialClientApplication({
        auth: { ...auth(), clientId: DEMO_CERT_CLIENT_ID, clientCertificate },
      });
      for (const scope of ["https://graph.microsoft.com/.default", "https://management.azure.com/.default"]) {
        const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: true });
        expect(decodeJwt(result.accessToken).claims["appidacr"]).toBe("2");
      }
    }
  });

  it("runs the device code flow (short grant type), approved by the test helper", async () => {
    const app = new msal.PublicClientApplication({ auth: { ...auth(), clientId: DEMO_PUBLIC_CLIENT_ID } });
    const result = await app.acquireTokenByDeviceCode({
      scopes: ["User.Read"],
      deviceCodeCallback: (response: { userCode: string; verificationUri: string }) => {
        expect(response.verificationUri).toBe(`${emulator.url}/devicelogin`);
        setTimeout(() => emulator.approveDeviceCode(response.userCode, "alexw@contoso.onmicrosoft.com"), 200);
      },
    });
    expect(result.account.username).toBe("alexw@contoso.onmicrosoft.com");
    const polls = emulator.tokenRequests().filter((entry) => entry.grantType === "device_code");
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((entry) => entry.deviceCodeField === "device_code")).toBe(true);
  });

  it("ManagedIdentityApplication gets a token from the IMDS endpoint (AZURE_POD_IDENTITY_AUTHORITY_HOST)", async () => {
    const saved = { ...process.env };
    try {
      process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = emulator.url;
      const imds = new msal.ManagedIdentityApplication({});
      expect(imds.getManagedIdentitySource()).toMatch(/Imds/);
      const system = await imds.acquireToken({ resource: "https://graph.microsoft.com" });
      expect(decodeJwt(system.accessToken).claims["roles"]).toEqual(DEMO_GRAPH_ROLES);
    } finally {
      if (saved["AZURE_POD_IDENTITY_AUTHORITY_HOST"] === undefined)
        delete process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
      else process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = saved["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
    }
  });
});
