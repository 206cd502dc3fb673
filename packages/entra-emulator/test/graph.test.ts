import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_TENANT_ID,
  demoSeed,
  type EmulatorSeed,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { clientCredentialsToken, fakeClock, graphGet } from "./helpers.js";

const ADELE = "6e7b768e-07e2-4810-8459-485f84f8f204";

function expectGraphError(body: Record<string, unknown>, code: string, message?: string | RegExp): void {
  const error = body["error"] as Record<string, unknown>;
  expect(error["code"]).toBe(code);
  if (typeof message === "string") expect(error["message"]).toBe(message);
  else if (message) expect(error["message"]).toMatch(message);
  const inner = error["innerError"] as Record<string, string>;
  expect(inner["date"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  expect(inner["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(inner["client-request-id"]).toEqual(expect.any(String));
}

describe("Microsoft Graph users double", () => {
  const clock = fakeClock();
  let emulator: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    token = await clientCredentialsToken(emulator);
  });
  afterAll(() => emulator.close());

  it("lists the tenant's users with Graph's default properties", async () => {
    const { status, body } = await graphGet(emulator, "/v1.0/users", token);
    expect(status).toBe(200);
    expect(body["@odata.context"]).toBe(`${emulator.url}/v1.0/$metadata#users`);
    expect(body).not.toHaveProperty("@odata.nextLink");
    const users = body["value"] as Array<Record<string, unknown>>;
    expect(users).toHaveLength(6);
    expect(users[0]).toEqual({
      businessPhones: [],
      displayName: "Adele Vance",
      givenName: "Adele",
      jobTitle: "Retail Manager",
      mail: "adelev@contoso.onmicrosoft.com",
      mobilePhone: null,
      officeLocation: "18/2111",
      preferredLanguage: "en-US",
      surname: "Vance",
      userPrincipalName: "adelev@contoso.onmicrosoft.com",
      id: ADELE,
    });
    expect(JSON.stringify(body)).not.toContain("password");
  });

  it("pages with $top, an absolute @odata.nextLink and $skiptoken", async () => {
    const seen: string[] = [];
    let next: string | undefined = "/v1.0/users?$top=4&$select=displayName";
    let pages = 0;
    while (next) {
      const { status, body } = await graphGet(emulator, next, token);
      expect(status).toBe(200);
      pages++;
      for (const user of body["value"] as Array<Record<string, string>>) {
        expect(Object.keys(user)).toEqual(["displayName"]);
        seen.push(user["displayName"]!);
      }
      next = body["@odata.nextLink"] as string | undefined;
      if (next) {
        expect(next.startsWith(`${emulator.url}/v1.0/users?`)).toBe(true);
        expect(next).toContain("$skiptoken=");
        expect(next).toContain("$select=displayName");
      }
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("supports $select with context columns", async () => {
    const { body } = await graphGet(emulator, "/v1.0/users?$select=id,accountEnabled,department", token);
    expect(body["@odata.context"]).toBe(`${emulator.url}/v1.0/$metadata#users(id,accountEnabled,department)`);
    expect((body["value"] as unknown[])[0]).toEqual({
      id: ADELE,
      accountEnabled: true,
      department: "Retail",
    });
  });

  it("filters with startswith and accountEnabled", async () => {
    const starts = await graphGet(emulator, "/v1.0/users?$filter=startswith(displayName,'a')", token);
    expect(
      (starts.body["value"] as Array<Record<string, string>>).map((user) => user["displayName"]),
    ).toEqual(["Adele Vance", "Alex Wilber"]);
    const disabled = await graphGet(
      emulator,
      "/v1.0/users?$filter=accountEnabled eq false&$select=displayName",
      token,
    );
    expect(disabled.body["value"]).toEqual([{ displayName: "Lynne Robbins" }]);
    const enabled = await graphGet(
      emulator,
      `/v1.0/users?$filter=${encodeURIComponent("accountEnabled eq true")}`,
      token,
    );
    expect(enabled.body["value"]).toHaveLength(5);
    const combined = await graphGet(
      emulator,
      `/v1.0/users?$filter=${encodeURIComponent("department eq 'Marketing' and not startswith(givenName,'Meg')")}`,
      token,
    );
    expect(
      (combined.body["value"] as Array<Record<string, string>>).map((user) => user["displayName"]),
    ).toEqual(["Alex Wilber"]);
  });

  it("rejects bad query options the way Graph does", async () => {
    const unknownProperty = await graphGet(emulator, "/v1.0/users?$select=displayName,shoeSize", token);
    expect(unknownProperty.status).toBe(400);
    expectGraphError(
      unknownProperty.body,
      "BadRequest",
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    );
    const unsupported = await graphGet(emulator, "/v1.0/users?$filter=startswith(id,'6e')", token);
    expect(unsupported.status).toBe(400);
    expectGraphError(unsupported.body, "Request_UnsupportedQuery", /property 'id' of resource 'User'/);
    const syntax = await graphGet(emulator, "/v1.0/users?$filter=startswith(displayName,", token);
    expect(syntax.status).toBe(400);
    expectGraphError(syntax.body, "BadRequest", /^Invalid filter clause/);
    const top = await graphGet(emulator, "/v1.0/users?$top=0", token);
    expect(top.status).toBe(400);
    expectGraphError(top.body, "Request_BadRequest", /Invalid page size/);
    const skip = await graphGet(emulator, "/v1.0/users?$skiptoken=bogus", token);
    expect(skip.status).toBe(400);
  });

  it("gets a user by id or userPrincipalName", async () => {
    const byId = await graphGet(emulator, `/v1.0/users/${ADELE}`, token);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      "@odata.context": `${emulator.url}/v1.0/$metadata#users/$entity`,
      id: ADELE,
      displayName: "Adele Vance",
    });
    const byUpn = await graphGet(emulator, "/v1.0/users/AdeleV%40Contoso.onmicrosoft.com?$select=id", token);
    expect(byUpn.body).toEqual({
      "@odata.context": `${emulator.url}/v1.0/$metadata#users(id)/$entity`,
      id: ADELE,
    });
  });

  it("answers 404 Request_ResourceNotFound for an unknown user", async () => {
    const missing = "00000000-0000-0000-0000-00000000beef";
    const { status, body } = await graphGet(emulator, `/v1.0/users/${missing}`, token);
    expect(status).toBe(404);
    expectGraphError(
      body,
      "Request_ResourceNotFound",
      `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
    );
  });

  it("answers 404 for an unknown Graph segment", async () => {
    const { status, body } = await graphGet(emulator, "/v1.0/widgets", token);
    expect(status).toBe(404);
    expectGraphError(body, "ResourceNotFound");
  });

  it("/me is for delegated tokens only", async () => {
    const { status, body } = await graphGet(emulator, "/v1.0/me", token);
    expect(status).toBe(400);
    expectGraphError(body, "BadRequest", "/me request is only valid with delegated authentication flow.");
    const delegated = emulator.issueAccessToken({
      tenantId: DEMO_TENANT_ID,
      resource: "graph",
      scp: "User.Read",
      userId: ADELE,
    });
    const me = await graphGet(emulator, "/v1.0/me", delegated);
    expect(me.status).toBe(200);
    expect(me.body["displayName"]).toBe("Adele Vance");
  });

  describe("token verification", () => {
    it("401 Access token is empty, with WWW-Authenticate", async () => {
      const { status, headers, body } = await graphGet(emulator, "/v1.0/users", undefined);
      expect(status).toBe(401);
      expect(headers.get("www-authenticate")).toMatch(
        /^Bearer realm="", authorization_uri=".*", client_id="00000003-0000-0000-c000-000000000000"$/,
      );
      expectGraphError(body, "InvalidAuthenticationToken", "Access token is empty.");
    });

    it("401 for a malformed token and for a bad signature", async () => {
      const malformed = await graphGet(emulator, "/v1.0/users", "not-a-jwt");
      expect(malformed.status).toBe(401);
      expectGraphError(malformed.body, "InvalidAuthenticationToken");
      const [h, p, s] = token.split(".") as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
      claims.roles = ["Directory.ReadWrite.All"];
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
      const { status, body } = await graphGet(emulator, "/v1.0/users", forged);
      expect(status).toBe(401);
      expectGraphError(body, "InvalidAuthenticationToken", /^Access token validation failure/);
    });

    it("401 for a token of another emulator (other signing key)", async () => {
      const other = await startEmulator();
      try {
        const foreign = await clientCredentialsToken(other);
        const { status } = await graphGet(emulator, "/v1.0/users", foreign);
        expect(status).toBe(401);
      } finally {
        await other.close();
      }
    });

    it("401 Invalid audience for an ARM token", async () => {
      const arm = await clientCredentialsToken(emulator, { scope: "https://management.azure.com/.default" });
      const { status, body } = await graphGet(emulator, "/v1.0/users", arm);
      expect(status).toBe(401);
      expectGraphError(
        body,
        "InvalidAuthenticationToken",
        "Access token validation failure. Invalid audience.",
      );
    });

    it("accepts a token for the emulator origin (Custom cloud Graph root) and other national Graph audiences", async () => {
      for (const scope of [`${emulator.url}/.default`, "https://graph.microsoft.us/.default"]) {
        const custom = await clientCredentialsToken(emulator, { scope });
        expect((await graphGet(emulator, "/v1.0/users?$top=1", custom)).status).toBe(200);
      }
    });

    it("401 Lifetime validation failed once the token expired (with Microsoft's 5-minute skew)", async () => {
      emulator.setTokenLifetime(60);
      const shortLived = await clientCredentialsToken(emulator);
      emulator.setTokenLifetime(3599);
      clock.advance(61_000);
      expect((await graphGet(emulator, "/v1.0/users?$top=1", shortLived)).status).toBe(200);
      clock.advance(300_000);
      const { status, body } = await graphGet(emulator, "/v1.0/users?$top=1", shortLived);
      expect(status).toBe(401);
      expectGraphError(
        body,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
      );
    });

    it("403 Authorization_RequestDenied for an app without a Graph grant", async () => {
      const noGrant = await clientCredentialsToken(emulator, {
        client_id: DEMO_NO_GRANT_CLIENT_ID,
        client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
      });
      const { status, body } = await graphGet(emulator, "/v1.0/users", noGrant);
      expect(status).toBe(403);
      expectGraphError(
        body,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
      );
    });

    it("accepts delegated tokens with a user-read scope", async () => {
      const delegated = emulator.issueAccessToken({
        tenantId: DEMO_TENANT_ID,
        resource: "graph",
        scp: "User.ReadBasic.All",
        userId: ADELE,
      });
      expect((await graphGet(emulator, "/v1.0/users?$top=1", delegated)).status).toBe(200);
      const weak = emulator.issueAccessToken({
        tenantId: DEMO_TENANT_ID,
        resource: "graph",
        scp: "Mail.Read",
        userId: ADELE,
      });
      expect((await graphGet(emulator, "/v1.0/users?$top=1", weak)).status).toBe(403);
    });
  });
});

describe("Graph serves the users of the token's tenant", () => {
  it("keeps tenants apart", async () => {
    const second: EmulatorSeed["tenants"][number] = {
      id: "7d1b7a43-5f0e-4b6e-9d43-1e2f3a4b5c6d",
      domains: ["fabrikam.onmicrosoft.com"],
      apps: [
        {
          clientId: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
          displayName: "fabrikam app",
          secrets: [{ value: "fabrikam-test-secret" }],
          grants: { graph: ["Directory.Read.All"] },
        },
      ],
      users: [
        {
          id: "3b4c5d6e-7f80-4a9b-8c0d-1e2f3a4b5c6d",
          userPrincipalName: "kim@fabrikam.onmicrosoft.com",
          displayName: "Kim Akers",
        },
      ],
    };
    const emulator = await startEmulator({ seed: { tenants: [...demoSeed.tenants, second] } });
    try {
      const response = await fetch(`${emulator.url}/fabrikam.onmicrosoft.com/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
          client_secret: "fabrikam-test-secret",
          scope: "https://graph.microsoft.com/.default",
        }),
      });
      const { access_token } = (await response.json()) as { access_token: string };
      const { body } = await graphGet(emulator, "/v1.0/users", access_token);
      expect((body["value"] as Array<Record<string, string>>).map((user) => user["displayName"])).toEqual([
        "Kim Akers",
      ]);
    } finally {
      await emulator.close();
    }
  });
});
