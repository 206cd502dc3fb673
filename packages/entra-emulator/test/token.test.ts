import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_EXPIRED_CLIENT_ID,
  DEMO_EXPIRED_CLIENT_SECRET,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { DEMO_GRAPH_ROLES, decodeJwt, fakeClock, GRAPH_SCOPE, postToken, verifyWithJwks } from "./helpers.js";

const valid = {
  grant_type: "client_credentials",
  client_id: DEMO_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  scope: GRAPH_SCOPE,
};

function expectEntraError(body: Record<string, unknown>, error: string, code: number): void {
  expect(body["error"]).toBe(error);
  expect(body["error_codes"]).toEqual([code]);
  const description = body["error_description"] as string;
  expect(description.startsWith(`AADSTS${code}: `)).toBe(true);
  expect(description).toContain("\r\nTrace ID: ");
  expect(description).toContain("\r\nCorrelation ID: ");
  expect(description).toMatch(/\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body["timestamp"]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(body["trace_id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(body["correlation_id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(body["error_uri"]).toBe(`https://login.microsoftonline.com/error?code=${code}`);
}

describe("token endpoint: client credentials", () => {
  const clock = fakeClock();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.setTokenLifetime(3599));

  it("issues a signed RS256 JWT with Entra's app-token claims", async () => {
    const { status, headers, body } = await postToken(emulator, valid);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toContain("no-store");
    expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const token = body["access_token"] as string;
    expect(await verifyWithJwks(emulator, token)).toBe(true);
    const { header, claims } = decodeJwt(token);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(header["kid"]).toEqual(expect.any(String));
    expect(header["x5t"]).toEqual(expect.any(String));
    const nowSeconds = Math.floor(clock.now() / 1000);
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      tid: DEMO_TENANT_ID,
      appid: DEMO_CLIENT_ID,
      azp: DEMO_CLIENT_ID,
      roles: DEMO_GRAPH_ROLES,
      ver: "1.0",
      idtyp: "app",
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + 3599,
    });
    expect(claims["oid"]).toBe(claims["sub"]);
    expect(claims["uti"]).toEqual(expect.any(String));
  });

  it("keeps the service principal oid stable and uti unique", async () => {
    const a = decodeJwt((await postToken(emulator, valid)).body["access_token"] as string).claims;
    const b = decodeJwt((await postToken(emulator, valid)).body["access_token"] as string).claims;
    expect(a["oid"]).toBe(b["oid"]);
    expect(a["uti"]).not.toBe(b["uti"]);
  });

  it("omits roles when the app has no grant for the resource", async () => {
    const { body } = await postToken(emulator, {
      ...valid,
      client_id: DEMO_NO_GRANT_CLIENT_ID,
      client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
    });
    expect(decodeJwt(body["access_token"] as string).claims).not.toHaveProperty("roles");
  });

  it("accepts HTTP Basic client authentication (RFC 6749 §2.3.1)", async () => {
    const basic = Buffer.from(
      `${encodeURIComponent(DEMO_CLIENT_ID)}:${encodeURIComponent(DEMO_CLIENT_SECRET)}`,
    ).toString("base64");
    const { status, body } = await postToken(
      emulator,
      { grant_type: "client_credentials", scope: GRAPH_SCOPE },
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(status).toBe(200);
    expect(decodeJwt(body["access_token"] as string).claims["appid"]).toBe(DEMO_CLIENT_ID);
  });

  it("addresses the tenant by domain", async () => {
    const { status, body } = await postToken(emulator, valid, { tenant: DEMO_TENANT_DOMAIN });
    expect(status).toBe(200);
    expect(decodeJwt(body["access_token"] as string).claims["tid"]).toBe(DEMO_TENANT_ID);
  });

  it("uses the requested resource as aud, tolerating a trailing slash", async () => {
    for (const [scope, aud] of [
      ["https://management.core.windows.net//.default", "https://management.core.windows.net"],
      ["https://graph.microsoft.us/.default", "https://graph.microsoft.us"],
      ["https://management.azure.com/.default", "https://management.azure.com"],
      [`${emulator.url}/.default`, emulator.url],
    ] as const) {
      const { status, body } = await postToken(emulator, { ...valid, scope });
      expect(status, scope).toBe(200);
      expect(decodeJwt(body["access_token"] as string).claims["aud"]).toBe(aud);
    }
  });

  it("follows setTokenLifetime", async () => {
    emulator.setTokenLifetime(120);
    const { body } = await postToken(emulator, valid);
    expect(body["expires_in"]).toBe(120);
    const { claims } = decodeJwt(body["access_token"] as string);
    expect((claims["exp"] as number) - (claims["iat"] as number)).toBe(120);
  });

  it("echoes client-request-id as the correlation ID (header or MSAL's query parameter)", async () => {
    const id = "0b0c0d0e-1111-4222-8333-444455556666";
    const viaHeader = await postToken(
      emulator,
      { ...valid, client_secret: "wrong" },
      { headers: { "client-request-id": id } },
    );
    expect(viaHeader.body["correlation_id"]).toBe(id);
    expect(viaHeader.body["error_description"]).toContain(`Correlation ID: ${id}`);
    expect(viaHeader.headers.get("client-request-id")).toBe(id);
    const response = await fetch(
      `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token?client-request-id=${id}`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
        body: new URLSearchParams({ ...valid, client_secret: "wrong" }),
      },
    );
    expect(((await response.json()) as Record<string, unknown>)["correlation_id"]).toBe(id);
  });

  describe("errors, in Entra's order and with Entra's codes", () => {
    const cases: Array<{
      name: string;
      form: Record<string, string>;
      tenant?: string;
      headers?: Record<string, string>;
      status: number;
      error: string;
      code: number;
      text?: RegExp;
    }> = [
      {
        name: "unknown tenant",
        tenant: "fabrikam.onmicrosoft.com",
        form: valid,
        status: 400,
        error: "invalid_request",
        code: 90002,
        text: /Tenant 'fabrikam.onmicrosoft.com' not found/,
      },
      {
        name: "unknown tenant GUID (before any client check)",
        tenant: "00000000-0000-0000-0000-000000000001",
        form: { grant_type: "client_credentials" },
        status: 400,
        error: "invalid_request",
        code: 90002,
      },
      {
        name: "missing grant_type",
        form: { client_id: DEMO_CLIENT_ID },
        status: 400,
        error: "invalid_request",
        code: 900144,
        text: /parameter: 'grant_type'/,
      },
      {
        name: "unsupported grant type",
        form: { ...valid, grant_type: "urn:example:magic" },
        status: 400,
        error: "unsupported_grant_type",
        code: 70003,
      },
      {
        name: "missing client_id",
        form: { grant_type: "client_credentials", client_secret: "x", scope: GRAPH_SCOPE },
        status: 400,
        error: "invalid_request",
        code: 900144,
        text: /parameter: 'client_id'\./,
      },
      {
        name: "unknown app",
        form: { ...valid, client_id: "11111111-2222-4333-8444-555555555555" },
        status: 400,
        error: "unauthorized_client",
        code: 700016,
        text: /Application with identifier '11111111-2222-4333-8444-555555555555' was not found in the directory 'Contoso'/,
      },
      {
        name: "missing secret",
        form: { grant_type: "client_credentials", client_id: DEMO_CLIENT_ID, scope: GRAPH_SCOPE },
        status: 401,
        error: "invalid_client",
        code: 7000218,
        text: /'client_assertion' or 'client_secret'/,
      },
      {
        name: "wrong secret",
        form: { ...valid, client_secret: "not-the-secret" },
        status: 401,
        error: "invalid_client",
        code: 7000215,
        text: new RegExp(
          `Invalid client secret provided.*for a secret added to app '${DEMO_CLIENT_ID}'\\.\\r\\n`,
        ),
      },
      {
        name: "secret ID sent instead of the value",
        form: { ...valid, client_secret: "9a1c3e5f-2b4d-4f60-8a7c-1e3f5a7c9b0d" },
        status: 401,
        error: "invalid_client",
        code: 7000215,
      },
      {
        name: "expired secret",
        form: { ...valid, client_id: DEMO_EXPIRED_CLIENT_ID, client_secret: DEMO_EXPIRED_CLIENT_SECRET },
        status: 401,
        error: "invalid_client",
        code: 7000222,
        text: /client secret keys for app '.*' are expired/,
      },
      {
        name: "wrong secret is checked before the scope",
        form: { ...valid, client_secret: "nope", scope: "garbage" },
        status: 401,
        error: "invalid_client",
        code: 7000215,
      },
      {
        name: "public client sending a secret",
        form: { ...valid, client_id: DEMO_PUBLIC_CLIENT_ID },
        status: 400,
        error: "invalid_client",
        code: 700025,
      },
      {
        name: "public client without credential",
        form: { grant_type: "client_credentials", client_id: DEMO_PUBLIC_CLIENT_ID, scope: GRAPH_SCOPE },
        status: 401,
        error: "invalid_client",
        code: 7000218,
      },
      {
        name: "missing scope",
        form: {
          grant_type: "client_credentials",
          client_id: DEMO_CLIENT_ID,
          client_secret: DEMO_CLIENT_SECRET,
        },
        status: 400,
        error: "invalid_scope",
        code: 70011,
        text: /must include a 'scope' input parameter/,
      },
      {
        name: "scope that is not /.default",
        form: { ...valid, scope: "https://graph.microsoft.com/User.Read.All" },
        status: 400,
        error: "invalid_scope",
        code: 70011,
        text: /The scope https:\/\/graph.microsoft.com\/User.Read.All is not valid/,
      },
      {
        name: "scopes of two resources",
        form: {
          ...valid,
          scope: "https://graph.microsoft.com/.default https://management.azure.com/.default",
        },
        status: 400,
        error: "invalid_scope",
        code: 700022,
      },
      {
        name: "unknown resource",
        form: { ...valid, scope: "https://api.contoso.example/.default" },
        status: 400,
        error: "invalid_resource",
        code: 500011,
        text: /resource principal named https:\/\/api.contoso.example was not found in the tenant named Contoso/,
      },
      {
        name: "v1 resource parameter",
        form: { ...valid, resource: "https://graph.microsoft.com" },
        status: 400,
        error: "invalid_request",
        code: 901002,
      },
    ];

    for (const testCase of cases) {
      it(`${testCase.name} → ${testCase.error} AADSTS${testCase.code}`, async () => {
        const { status, headers, body } = await postToken(emulator, testCase.form, {
          ...(testCase.tenant ? { tenant: testCase.tenant } : {}),
          ...(testCase.headers ? { headers: testCase.headers } : {}),
        });
        expect(status).toBe(testCase.status);
        expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
        expectEntraError(body, testCase.error, testCase.code);
        if (testCase.text) expect(body["error_description"]).toMatch(testCase.text);
      });
    }

    it("GET on the token endpoint → AADSTS900561", async () => {
      const response = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`);
      expect(response.status).toBe(400);
      expectEntraError((await response.json()) as Record<string, unknown>, "invalid_request", 900561);
    });

    it("a JSON body is not a form → AADSTS900144 grant_type", async () => {
      const response = await fetch(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(valid),
      });
      expect(response.status).toBe(400);
      expectEntraError((await response.json()) as Record<string, unknown>, "invalid_request", 900144);
    });
  });

  it("logs token requests without any secret", async () => {
    emulator.clearRequests();
    await postToken(emulator, valid);
    await postToken(emulator, { ...valid, client_secret: "planted-secret-7f3a9c" });
    const basic = Buffer.from(`${DEMO_CLIENT_ID}:planted-basic-secret-1b2c`).toString("base64");
    await postToken(
      emulator,
      { grant_type: "client_credentials", scope: GRAPH_SCOPE },
      { headers: { authorization: `Basic ${basic}` } },
    );
    const requests = emulator.tokenRequests();
    expect(requests).toHaveLength(3);
    expect(requests.map((request) => request.status)).toEqual([200, 401, 401]);
    expect(requests[0]).toMatchObject({
      method: "POST",
      tenant: DEMO_TENANT_ID,
      grantType: "client_credentials",
      clientId: DEMO_CLIENT_ID,
      scope: GRAPH_SCOPE,
      at: clock.now(),
    });
    expect(requests[2]!.headers["authorization"]).toBe("Basic <redacted>");
    expect(requests[2]!.clientId).toBe(DEMO_CLIENT_ID);
    const log = JSON.stringify(emulator.requests);
    for (const secret of [DEMO_CLIENT_SECRET, "planted-secret-7f3a9c", "planted-basic-secret-1b2c", basic]) {
      expect(log).not.toContain(secret);
    }
  });
});
