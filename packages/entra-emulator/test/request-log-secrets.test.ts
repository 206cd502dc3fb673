import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createClientAssertion,
  DEMO_BROKER_APP_NAME,
  DEMO_BROKER_DELEGATED_REGISTRATION_ID,
  DEMO_BROKER_KEY,
  DEMO_BROKER_REFRESH_TOKEN,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  startEmulator,
} from "../src/index.js";
import { pkcePair, postToken, redirectParams, TestBrowser } from "./helpers.js";

function encryptForBroker(content: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(DEMO_BROKER_KEY, "base64"), nonce);
  const data = Buffer.concat([cipher.update(`${Math.floor(Date.now() / 1000)}:${content}`), cipher.final()]);
  return Buffer.concat([nonce, data, cipher.getAuthTag()]).toString("base64");
}

describe("the request log never holds secrets", () => {
  it("after secrets, assertions, codes, refresh tokens, device codes, passwords and broker tokens went by", async () => {
    const emulator = await startEmulator({
      requestLogLimit: 0,
      identityHeader: "planted-identity-header-77",
    });
    const planted: string[] = [
      DEMO_CLIENT_SECRET,
      DEMO_USER_PASSWORD,
      DEMO_BROKER_REFRESH_TOKEN,
      DEMO_BROKER_KEY,
    ];
    try {
      const tokenUrl = `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`;
      // Client secret, in the form, in HTTP Basic, and (wrongly) in the query.
      const cc = await postToken(emulator, {
        grant_type: "client_credentials",
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        scope: "https://graph.microsoft.com/.default",
      });
      planted.push(cc.body["access_token"] as string);
      await fetch(`${tokenUrl}?client_secret=planted-query-secret-1&password=planted-query-password-2`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${DEMO_CLIENT_ID}:planted-basic-3`).toString("base64")}`,
        },
      });
      planted.push("planted-query-secret-1", "planted-query-password-2", "planted-basic-3");
      // A certificate assertion.
      const certificate = emulator.demoCertificate!;
      const assertion = createClientAssertion({
        clientId: DEMO_CERT_CLIENT_ID,
        tokenEndpoint: tokenUrl,
        privateKeyPem: certificate.privateKeyPem,
        thumbprintSha256: certificate.thumbprintSha256,
      });
      planted.push(assertion, certificate.privateKeyPem.split("\n")[1]!);
      expect(
        (
          await postToken(emulator, {
            grant_type: "client_credentials",
            client_id: DEMO_CERT_CLIENT_ID,
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            client_assertion: assertion,
            scope: "https://graph.microsoft.com/.default",
          })
        ).status,
      ).toBe(200);
      // Sign-in pages (password, session cookie), an authorization code, its PKCE verifier, refresh and ID tokens.
      const browser = new TestBrowser(emulator.url);
      const pkce = pkcePair();
      const page = await browser.get(
        `/${DEMO_TENANT_ID}/oauth2/v2.0/authorize?${new URLSearchParams({
          client_id: DEMO_CLIENT_ID,
          response_type: "code",
          redirect_uri: "http://localhost:8400/callback",
          scope: "openid offline_access User.Read",
          code_challenge: pkce.challenge,
          code_challenge_method: "S256",
        })}`,
      );
      let next = await browser.submit(page, {
        username: "adelev@contoso.onmicrosoft.com",
        password: DEMO_USER_PASSWORD,
      });
      if (next.text.includes("Permissions requested"))
        next = await browser.submit(next, { action: "accept" });
      const code = redirectParams(next.location).get("code")!;
      const redeemed = await postToken(emulator, {
        grant_type: "authorization_code",
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        code,
        code_verifier: pkce.verifier,
        redirect_uri: "http://localhost:8400/callback",
      });
      expect(redeemed.status).toBe(200);
      const refreshToken = redeemed.body["refresh_token"] as string;
      planted.push(
        code,
        pkce.verifier,
        refreshToken,
        redeemed.body["id_token"] as string,
        ...browser.cookies.values(),
      );
      const refreshed = await postToken(emulator, {
        grant_type: "refresh_token",
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        refresh_token: refreshToken,
      });
      planted.push(refreshed.body["refresh_token"] as string);
      await fetch(
        `${tokenUrl}?code=${encodeURIComponent(code)}&refresh_token=${encodeURIComponent(refreshToken)}`,
        {
          method: "POST",
        },
      );
      // Device code: both field names, and the user code typed into /devicelogin.
      const start = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/devicecode`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: DEMO_PUBLIC_CLIENT_ID, scope: "User.Read" }),
      });
      const device = (await start.json()) as Record<string, string>;
      planted.push(device["device_code"]!, device["user_code"]!);
      await browser.submit(await browser.get("/devicelogin"), { otc: device["user_code"]! });
      await fetch(`${emulator.url}/devicelogin?otc=${device["user_code"]}`);
      for (const field of ["device_code", "code"]) {
        await postToken(emulator, {
          grant_type: "urn:ietf:params:oauth:grant-type:device_code",
          client_id: DEMO_PUBLIC_CLIENT_ID,
          [field]: device["device_code"]!,
        });
      }
      // Managed identity (App Service secret header) and the broker (encrypted token, refresh token inside).
      await fetch(`${emulator.url}/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com`, {
        headers: { "x-identity-header": emulator.identityHeader },
      });
      planted.push(emulator.identityHeader);
      const encrypted = encryptForBroker(DEMO_BROKER_REFRESH_TOKEN);
      planted.push(encrypted);
      const broker = await fetch(
        `${emulator.url}/obtain-token?encrypted_token=${encodeURIComponent(encrypted)}&key=${encodeURIComponent(DEMO_BROKER_KEY)}`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            app_name: DEMO_BROKER_APP_NAME,
            registration_id: DEMO_BROKER_DELEGATED_REGISTRATION_ID,
            encrypted_token: encrypted,
            scope: null,
            resource: "",
          }),
        },
      );
      expect(broker.status).toBe(200);
      planted.push(((await broker.json()) as Record<string, string>)["refresh_token"]!);

      const log = JSON.stringify(emulator.requests);
      for (const secret of planted) {
        expect(secret.length).toBeGreaterThan(8);
        expect(log, `the log contains a planted secret: ${secret.slice(0, 12)}…`).not.toContain(secret);
      }
      expect(log).toContain("<redacted>");
      expect(emulator.requests.some((entry) => entry.deviceCodeField === "code")).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});
