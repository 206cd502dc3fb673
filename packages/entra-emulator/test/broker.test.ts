import { createCipheriv, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_BROKER_APP_NAME,
  DEMO_BROKER_APP_REGISTRATION_ID,
  DEMO_BROKER_DELEGATED_REGISTRATION_ID,
  DEMO_BROKER_KEY,
  DEMO_BROKER_REFRESH_TOKEN,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { DEMO_GRAPH_ROLES, decodeJwt, graphGet } from "./helpers.js";

/** The client side of the XSOAR broker protocol: AES-GCM of "<epoch>:<token>", base64(nonce ‖ ciphertext ‖ tag). */
function encrypt(content: string, key = DEMO_BROKER_KEY, epoch = Math.floor(Date.now() / 1000)): string {
  const nonce = randomBytes(12);
  const keyBytes = Buffer.from(key, "base64");
  const cipher = createCipheriv(`aes-${keyBytes.length * 8}-gcm` as "aes-256-gcm", keyBytes, nonce);
  const ciphertext = Buffer.concat([cipher.update(`${epoch}:${content}`, "utf8"), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString("base64");
}

async function obtain(emulator: RunningEmulator, body: Record<string, unknown>, path = "/obtain-token") {
  const response = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const application = (token: string, extra: Record<string, unknown> = {}) => ({
  app_name: DEMO_BROKER_APP_NAME,
  registration_id: DEMO_BROKER_APP_REGISTRATION_ID,
  encrypted_token: token,
  scope: null,
  resource: "",
  ...extra,
});

describe("XSOAR application broker double", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("issues an application token for the vendor app when the token is the tenant ID", async () => {
    const { status, headers, body } = await obtain(emulator, application(encrypt(DEMO_TENANT_ID)));
    expect(status).toBe(200);
    expect(headers.get("function-execution-id")).toEqual(expect.any(String));
    expect(body["expires_in"]).toBe(3599);
    expect(body["refresh_token"]).toBeUndefined();
    const claims = decodeJwt(body["access_token"] as string).claims;
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      appid: DEMO_BROKER_VENDOR_CLIENT_ID,
      tid: DEMO_TENANT_ID,
      roles: DEMO_GRAPH_ROLES,
    });
    expect((await graphGet(emulator, "/v1.0/users?$top=1", body["access_token"] as string)).status).toBe(200);
    const arm = await obtain(
      emulator,
      application(encrypt(DEMO_TENANT_ID), { resource: "https://management.azure.com" }),
      "/broker/obtain-token",
    );
    expect(decodeJwt(arm.body["access_token"] as string).claims["aud"]).toBe("https://management.azure.com");
    const graphScope = await obtain(emulator, application(encrypt(DEMO_TENANT_ID), { scope: "graph" }));
    expect(graphScope.status).toBe(200);
  });

  it("refuses a wrong token, an old timestamp, a wrong key, an unknown registration and another app", async () => {
    const wrong = await obtain(emulator, application(encrypt("11111111-2222-3333-4444-555555555555")));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: "invalid_token", message: expect.any(String) });
    const old = await obtain(
      emulator,
      application(encrypt(DEMO_TENANT_ID, DEMO_BROKER_KEY, Math.floor(Date.now() / 1000) - 600)),
    );
    expect(old.status).toBe(400);
    expect(old.body["error"]).toBe("invalid_timestamp");
    const otherKey = randomBytes(32).toString("base64");
    const undecryptable = await obtain(emulator, application(encrypt(DEMO_TENANT_ID, otherKey)));
    expect(undecryptable.status).toBe(401);
    expect(undecryptable.body["error"]).toBe("decryption_failed");
    const unknown = await obtain(emulator, application(encrypt(DEMO_TENANT_ID), { registration_id: "nope" }));
    expect(unknown.status).toBe(401);
    const otherApp = await obtain(
      emulator,
      application(encrypt(DEMO_TENANT_ID), { app_name: "ms-defender" }),
    );
    expect(otherApp.status).toBe(403);
    const missing = await obtain(emulator, { app_name: DEMO_BROKER_APP_NAME });
    expect(missing.status).toBe(400);
    const notJson = await fetch(`${emulator.url}/obtain-token`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("delegated registrations exchange the refresh token and return a rotated one", async () => {
    const delegated = (token: string) => ({
      app_name: DEMO_BROKER_APP_NAME,
      registration_id: DEMO_BROKER_DELEGATED_REGISTRATION_ID,
      encrypted_token: encrypt(token),
      scope: null,
      resource: "https://graph.microsoft.com",
    });
    const first = await obtain(emulator, delegated(DEMO_BROKER_REFRESH_TOKEN));
    expect(first.status).toBe(200);
    const rotated = first.body["refresh_token"] as string;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(DEMO_BROKER_REFRESH_TOKEN);
    const claims = decodeJwt(first.body["access_token"] as string).claims;
    expect(claims).toMatchObject({
      upn: "meganb@contoso.onmicrosoft.com",
      appid: DEMO_BROKER_VENDOR_CLIENT_ID,
      idtyp: "user",
    });
    expect(claims["scp"]).toContain("User.Read.All");
    const second = await obtain(emulator, delegated(rotated));
    expect(second.status).toBe(200);
    const bogus = await obtain(emulator, delegated("not-a-refresh-token"));
    expect(bogus.status).toBe(400);
    expect(bogus.body["error"]).toBe("invalid_grant");
    emulator.revokeRefreshTokens({ clientId: DEMO_BROKER_VENDOR_CLIENT_ID });
    const revoked = await obtain(emulator, delegated(second.body["refresh_token"] as string));
    expect(revoked.status).toBe(400);
    expect(revoked.body["message"]).toMatch(/^AADSTS50173: /);
  });

  it("applies injected faults in the broker's error shape", async () => {
    emulator.faults.inject({ match: "/obtain-token", status: 503 });
    const { status, body } = await obtain(emulator, application(encrypt(DEMO_TENANT_ID)));
    expect(status).toBe(503);
    expect(body).toEqual({ error: "ServiceUnavailable", message: expect.any(String) });
  });
});
