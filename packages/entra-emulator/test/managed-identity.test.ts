import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_MANAGED_IDENTITY_CLIENT_ID,
  DEMO_MANAGED_IDENTITY_PRINCIPAL_ID,
  DEMO_TENANT_ID,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  DEMO_USER_ASSIGNED_PRINCIPAL_ID,
  DEMO_USER_ASSIGNED_RESOURCE_ID,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { DEMO_GRAPH_ROLES, decodeJwt, graphGet } from "./helpers.js";

const GRAPH = "https://graph.microsoft.com/";

async function imds(
  emulator: RunningEmulator,
  query: Record<string, string>,
  headers: Record<string, string> = { metadata: "true" },
) {
  const response = await fetch(
    `${emulator.url}/metadata/identity/oauth2/token?${new URLSearchParams({ "api-version": "2018-02-01", ...query })}`,
    { headers },
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("managed identity endpoints", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ identityHeader: "identity-header-value" });
  });
  afterAll(() => emulator.close());

  it("IMDS requires the Metadata header", async () => {
    const { status, body } = await imds(emulator, { resource: GRAPH }, {});
    expect(status).toBe(400);
    expect(body).toEqual({
      error: "invalid_request",
      error_description: "Required metadata header not specified",
    });
  });

  it("IMDS issues the system-assigned identity's token with string times, and Graph accepts it", async () => {
    const { status, body } = await imds(emulator, { resource: GRAPH });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      client_id: DEMO_MANAGED_IDENTITY_CLIENT_ID,
      expires_in: "86399",
      resource: GRAPH,
      token_type: "Bearer",
    });
    expect(body["expires_on"]).toMatch(/^\d{10}$/);
    expect(body["not_before"]).toMatch(/^\d{10}$/);
    const claims = decodeJwt(body["access_token"] as string).claims;
    expect(claims).toMatchObject({
      aud: GRAPH,
      appid: DEMO_MANAGED_IDENTITY_CLIENT_ID,
      oid: DEMO_MANAGED_IDENTITY_PRINCIPAL_ID,
      tid: DEMO_TENANT_ID,
      idtyp: "app",
      roles: DEMO_GRAPH_ROLES,
    });
    expect(Number(body["expires_on"]) - Number(body["not_before"])).toBe(86399);
    expect((await graphGet(emulator, "/v1.0/users?$top=1", body["access_token"] as string)).status).toBe(200);
  });

  it("IMDS selects a user-assigned identity by client_id, object_id or msi_res_id", async () => {
    const queries: Array<Record<string, string>> = [
      { client_id: DEMO_USER_ASSIGNED_CLIENT_ID },
      { object_id: DEMO_USER_ASSIGNED_PRINCIPAL_ID },
      { msi_res_id: DEMO_USER_ASSIGNED_RESOURCE_ID },
    ];
    for (const query of queries) {
      const { status, body } = await imds(emulator, { resource: "https://management.azure.com/", ...query });
      expect(status).toBe(200);
      const claims = decodeJwt(body["access_token"] as string).claims;
      expect(claims).toMatchObject({
        oid: DEMO_USER_ASSIGNED_PRINCIPAL_ID,
        // The seed's role assignment, plus the Resource Manager double's demo role (src/services/arm-infrastructure.ts).
        roles: expect.arrayContaining(["Reader"]),
        xms_mirid: DEMO_USER_ASSIGNED_RESOURCE_ID,
      });
    }
  });

  it("IMDS answers 'Identity not found' for an unknown identity, and invalid_resource for an unknown resource", async () => {
    const unknown = await imds(emulator, {
      resource: GRAPH,
      client_id: "11111111-2222-3333-4444-555555555555",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: "invalid_request", error_description: "Identity not found" });
    const resource = await imds(emulator, { resource: "https://unknown.example" });
    expect(resource.status).toBe(400);
    expect(resource.body["error"]).toBe("invalid_resource");
    expect(resource.body["error_description"]).toMatch(/^AADSTS500011: /);
  });

  it("App Service requires X-IDENTITY-HEADER and answers with expires_on", async () => {
    const url = `${emulator.url}/msi/token?api-version=2019-08-01&resource=${encodeURIComponent(GRAPH)}`;
    expect((await fetch(url)).status).toBe(400);
    expect((await fetch(url, { headers: { "x-identity-header": "wrong" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { "x-identity-header": emulator.identityHeader } });
    expect(emulator.identityHeader).toBe("identity-header-value");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      client_id: DEMO_MANAGED_IDENTITY_CLIENT_ID,
      resource: GRAPH,
      token_type: "Bearer",
    });
    expect(body["expires_on"]).toMatch(/^\d{10}$/);
    const user = await fetch(`${url}&client_id=${DEMO_USER_ASSIGNED_CLIENT_ID}`, {
      headers: { "x-identity-header": emulator.identityHeader },
    });
    expect(((await user.json()) as Record<string, unknown>)["client_id"]).toBe(DEMO_USER_ASSIGNED_CLIENT_ID);
    const unknown = await fetch(`${url}&client_id=11111111-2222-3333-4444-555555555555`, {
      headers: { "x-identity-header": emulator.identityHeader },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Record<string, unknown>)["message"]).toBe(
      "Unable to load the proper Managed Identity.",
    );
  });

  it("applies injected faults (410, 429, 500, 503) so retry behaviour can be tested", async () => {
    emulator.faults.inject({ match: "/metadata/identity/oauth2/token", status: 410 });
    emulator.faults.inject({ match: "/metadata/identity/oauth2/token", status: 429, retryAfter: 1 });
    emulator.faults.inject({ match: "/metadata/identity/oauth2/token", status: 500 });
    emulator.faults.inject({ match: "/msi/token", status: 503 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const { status, headers, body } = await imds(emulator, { resource: GRAPH });
      statuses.push(status);
      expect(body["error"]).toEqual(expect.any(String));
      if (status === 429) expect(headers.get("retry-after")).toBe("1");
    }
    expect(statuses).toEqual([410, 429, 500]);
    expect((await imds(emulator, { resource: GRAPH })).status).toBe(200);
    const appService = await fetch(`${emulator.url}/msi/token?api-version=2019-08-01&resource=${GRAPH}`, {
      headers: { "x-identity-header": emulator.identityHeader },
    });
    expect(appService.status).toBe(503);
    expect(emulator.requests.filter((entry) => entry.faulted)).toHaveLength(4);
  });
});

describe("managed identity switched off", () => {
  it("managedIdentity: false answers 404 and closes the connection", async () => {
    const emulator = await startEmulator({ managedIdentity: false });
    try {
      const response = await fetch(
        `${emulator.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${GRAPH}`,
        {
          headers: { metadata: "true" },
        },
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("connection")).toBe("close");
    } finally {
      await emulator.close();
    }
  });

  it('managedIdentity: "unreachable" drops the connection without an answer', async () => {
    const emulator = await startEmulator({ managedIdentity: "unreachable" });
    try {
      const error = await new Promise<Error>((resolve) => {
        const req = request(
          `${emulator.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${GRAPH}`,
          {
            headers: { metadata: "true" },
          },
        );
        req.on("response", () => resolve(new Error("answered")));
        req.on("error", resolve);
        req.end();
      });
      expect(error.message).not.toBe("answered");
    } finally {
      await emulator.close();
    }
  });
});
