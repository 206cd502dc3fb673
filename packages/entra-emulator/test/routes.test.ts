import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, type RunningEmulator, startEmulator } from "../src/index.js";
import { clientCredentialsToken, postToken } from "./helpers.js";

const MDE = "https://api.securitycenter.microsoft.com";

describe("addRoute: resource-API doubles with verification for free", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.registerResource("mde", [MDE]);
    const app = emulator.seed.tenants[0]!.apps.find((candidate) => candidate.clientId === DEMO_CLIENT_ID)!;
    app.grants = { ...app.grants, mde: ["Machine.Read.All"] };
  });
  afterAll(() => emulator.close());

  it("verifies the token, then hands params, query, body and claims to the handler", async () => {
    let seen: unknown;
    emulator.addRoute(
      "POST",
      "/api/machines/:id/isolate",
      { resource: "mde", roles: ["Machine.Isolate", "Machine.Read.All"] },
      (context) => {
        seen = {
          params: context.params,
          query: context.query,
          body: context.body,
          appid: context.claims.appid,
          tenant: context.tenant?.id,
        };
        return context.json(201, { id: context.params["id"], status: "Pending" });
      },
    );
    const token = await clientCredentialsToken(emulator, { scope: `${MDE}/.default` });
    const response = await fetch(`${emulator.url}/api/machines/abc%20123/isolate?mode=full`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ Comment: "isolate it" }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: "abc 123", status: "Pending" });
    expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual({
      params: { id: "abc 123" },
      query: { mode: "full" },
      body: { Comment: "isolate it" },
      appid: DEMO_CLIENT_ID,
      tenant: DEMO_TENANT_ID,
    });
  });

  it("answers 401 in the Azure dialect for a wrong-audience token and 403 without the role", async () => {
    emulator.addRoute("GET", "/api/alerts", { resource: "mde", roles: ["Alert.Read.All"] }, (context) =>
      context.json(200, { value: [] }),
    );
    const graphToken = await clientCredentialsToken(emulator);
    const wrongAudience = await fetch(`${emulator.url}/api/alerts`, {
      headers: { authorization: `Bearer ${graphToken}` },
    });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await wrongAudience.json()).toEqual({
      error: {
        code: "InvalidAuthenticationToken",
        message: "Access token validation failure. Invalid audience.",
      },
    });
    const mdeToken = await clientCredentialsToken(emulator, { scope: `${MDE}/.default` });
    const forbidden = await fetch(`${emulator.url}/api/alerts`, {
      headers: { authorization: `Bearer ${mdeToken}` },
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe("AuthorizationFailed");
  });

  it("accepts any valid token for the resource when no roles or scopes are required, and can be removed", async () => {
    const remove = emulator.addRoute("GET", "/api/ping", { resource: "mde" }, () => undefined);
    const token = emulator.issueAccessToken({ tenantId: DEMO_TENANT_ID, resource: "mde" });
    const ok = await fetch(`${emulator.url}/api/ping`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(204);
    remove();
    const gone = await fetch(`${emulator.url}/api/ping`, { headers: { authorization: `Bearer ${token}` } });
    expect(gone.status).toBe(404);
  });

  it("uses the Graph dialect for graph routes and takes precedence over built-ins", async () => {
    const remove = emulator.addRoute(
      "GET",
      "/v1.0/users/:id",
      { resource: "graph", roles: ["User.Read.All"] },
      (context) =>
        context.error(
          404,
          "Request_ResourceNotFound",
          `Resource '${context.params["id"]}' is hidden by the test.`,
        ),
    );
    const token = await clientCredentialsToken(emulator);
    const response = await fetch(`${emulator.url}/v1.0/users/anyone`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(body.error.message).toBe("Resource 'anyone' is hidden by the test.");
    expect(body.error.innerError["request-id"]).toEqual(expect.any(String));
    remove();
  });

  it("answers 400 for a bad JSON body and 500 (not a crash) when the handler throws", async () => {
    emulator.addRoute("PUT", "/api/boom", { resource: "mde" }, () => {
      throw new Error("handler bug");
    });
    const token = emulator.issueAccessToken({ tenantId: DEMO_TENANT_ID, resource: "mde" });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const badJson = await fetch(`${emulator.url}/api/boom`, { method: "PUT", headers, body: "{nope" });
    expect(badJson.status).toBe(400);
    const thrown = await fetch(`${emulator.url}/api/boom`, { method: "PUT", headers, body: "{}" });
    expect(thrown.status).toBe(500);
    expect((await fetch(`${emulator.url}/api/boom`, { method: "GET", headers })).status).toBe(405);
  });

  it("issues tokens for registered resources through the token endpoint", async () => {
    const { status, body } = await postToken(emulator, {
      grant_type: "client_credentials",
      client_id: DEMO_CLIENT_ID,
      client_secret: "demo-secret-not-for-production",
      scope: `${MDE}/.default`,
    });
    expect(status).toBe(200);
    expect(body["access_token"]).toEqual(expect.any(String));
  });

  it("refuses routes for unknown resources and bad patterns", () => {
    expect(() => emulator.addRoute("GET", "/x", { resource: "nope" }, () => undefined)).toThrow(
      /unknown resource 'nope'/,
    );
    expect(() => emulator.addRoute("GET", "x", { resource: "mde" }, () => undefined)).toThrow(
      /must start with/,
    );
    expect(() => emulator.registerResource("other", ["https://graph.microsoft.com"])).toThrow(
      /already belongs to resource 'graph'/,
    );
  });
});
