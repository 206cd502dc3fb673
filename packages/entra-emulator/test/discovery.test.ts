import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { decodeJwt, graphGet, verifyWithJwks } from "./helpers.js";

describe("discovery", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("serves an Entra-shaped OpenID configuration pointing at the emulator", async () => {
    const response = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    const base = `${emulator.url}/${DEMO_TENANT_ID}`;
    expect(doc).toMatchObject({
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(doc["token_endpoint_auth_methods_supported"]).toContain("client_secret_basic");
  });

  it("resolves a tenant addressed by domain to its ID", async () => {
    const doc = (await (
      await fetch(`${emulator.url}/${DEMO_TENANT_DOMAIN}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(doc["issuer"]).toBe(`${emulator.url}/${DEMO_TENANT_ID}/v2.0`);
  });

  it("answers AADSTS90002 for an unknown tenant", async () => {
    const response = await fetch(
      `${emulator.url}/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body["error_codes"]).toEqual([90002]);
    expect(body["error_description"]).toMatch(/^AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found\./);
  });

  it("publishes the RSA signing key as a JWKS", async () => {
    const response = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/discovery/v2.0/keys`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", use: "sig", e: "AQAB" });
    expect(keys[0]!["kid"]).toBe(keys[0]!["x5t"]);
    expect(Buffer.from(keys[0]!["n"]!, "base64url").length).toBe(256);
  });

  it("rolls the signing key over: new tokens carry a new kid, both keys are published, old tokens still work", async () => {
    const before = emulator.issueAccessToken({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      resource: "graph",
      roles: ["User.Read.All"],
    });
    const oldKid = emulator.signingKeyId();
    const newKid = await emulator.rotateSigningKey();
    expect(newKid).not.toBe(oldKid);
    expect(emulator.signingKeyId()).toBe(newKid);
    const { keys } = (await (
      await fetch(`${emulator.url}/${DEMO_TENANT_ID}/discovery/v2.0/keys`)
    ).json()) as { keys: Array<Record<string, string>> };
    expect(keys.map((key) => key["kid"])).toEqual([newKid, oldKid]);
    const after = emulator.issueAccessToken({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      resource: "graph",
      roles: ["User.Read.All"],
    });
    expect(decodeJwt(after).header["kid"]).toBe(newKid);
    expect(await verifyWithJwks(emulator, after)).toBe(true);
    // Graph accepts tokens of both keys, as Entra's resources do during a rollover.
    expect((await graphGet(emulator, "/v1.0/users?$top=1", before)).status).toBe(200);
    expect((await graphGet(emulator, "/v1.0/users?$top=1", after)).status).toBe(200);
  });
});
