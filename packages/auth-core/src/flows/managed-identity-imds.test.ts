// IMDS through AZURE_POD_IDENTITY_AUTHORITY_HOST. One endpoint kind per test file: MSAL keeps the endpoint it
// selected first in process-wide state (vitest runs each file in its own process).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MsintError, ParameterError } from "../errors.js";
import { type FakeServer, startFakeServer } from "./fake-server.test-support.js";
import { createManagedIdentityStrategy } from "./managed-identity.js";

let server: FakeServer;
const KNOWN_CLIENT = "11111111-2222-3333-4444-555555555555";

beforeAll(async () => {
  for (const name of [
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
  ]) {
    delete process.env[name];
  }
  delete process.env["AZURE_FEDERATED_TOKEN_FILE"];
  server = await startFakeServer((request) => {
    if (!request.path.startsWith("/metadata/identity/oauth2/token")) return { status: 404, text: "no" };
    if (request.headers["metadata"] !== "true")
      return {
        status: 400,
        json: { error: "bad_request_102", error_description: "Required metadata header not specified" },
      };
    const resource = request.query.get("resource") ?? "";
    if (resource.includes("failing")) return { status: 500, text: "IMDS is unwell" };
    const clientId = request.query.get("client_id");
    if (clientId && clientId !== KNOWN_CLIENT) {
      return { status: 400, json: { error: "invalid_request", error_description: "Identity not found" } };
    }
    const now = Math.floor(Date.now() / 1000);
    return {
      json: {
        access_token: `mi-token-for-${clientId ?? "system"}-${resource}`,
        client_id: clientId ?? "system-client",
        expires_in: "86399",
        expires_on: String(now + 86399),
        ext_expires_in: "86399",
        not_before: String(now),
        resource,
        token_type: "Bearer",
      },
    };
  });
  process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = server.url;
});

afterAll(async () => {
  await server.close();
});

describe("createManagedIdentityStrategy against IMDS", () => {
  it("gives a second strategy of the same identity and resource the token MSAL keeps for the process", async () => {
    // MSAL's managed-identity token cache is process-wide: the second strategy's fetch sends no request, and its
    // token must be taken, not refused for want of an HTTP answer to inspect.
    const resource = "https://cache.contoso.example";
    const first = await createManagedIdentityStrategy({ resource, maxRetries: 1 }).fetchToken([], undefined);
    const sent = server.requests.length;
    const second = await createManagedIdentityStrategy({ resource, maxRetries: 1 }).fetchToken([], undefined);
    expect(server.requests.length).toBe(sent);
    expect(second.token.accessToken).toBe(first.token.accessToken);
    expect(second.token.expiresInSeconds).toBeGreaterThan(86_000);
  });

  it("gets a system-assigned token: Metadata header, api-version, resource, no client_id", async () => {
    const strategy = createManagedIdentityStrategy({
      resource: "https://management.azure.com/",
      maxRetries: 1,
    });
    const { token, context } = await strategy.fetchToken(["ignored/.default"], undefined);
    expect(context).toBeUndefined();
    expect(token.accessToken).toBe("mi-token-for-system-https://management.azure.com/");
    expect(token.expiresInSeconds).toBeGreaterThan(86_390);
    expect(token.refreshInSeconds).toBeGreaterThan(43_100);
    const request = server.requests.at(-1)!;
    expect(request.method).toBe("GET");
    expect(request.headers["metadata"]).toBe("true");
    expect(request.query.get("api-version")).toBe("2018-02-01");
    expect(request.query.get("resource")).toBe("https://management.azure.com/");
    expect(request.query.has("client_id")).toBe(false);
  });

  it("sends client_id for a user-assigned identity and maps <resource>/.default to the resource", async () => {
    const strategy = createManagedIdentityStrategy({ clientId: KNOWN_CLIENT, maxRetries: 1 });
    const { token } = await strategy.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    expect(token.accessToken).toBe(`mi-token-for-${KNOWN_CLIENT}-https://graph.microsoft.com`);
    const request = server.requests.at(-1)!;
    expect(request.query.get("client_id")).toBe(KNOWN_CLIENT);
    expect(request.query.get("resource")).toBe("https://graph.microsoft.com");
  });

  it("treats SYSTEM_ASSIGNED (XSOAR's marker) as the system-assigned identity", async () => {
    const strategy = createManagedIdentityStrategy({ clientId: "SYSTEM_ASSIGNED", maxRetries: 1 });
    await strategy.fetchToken(["https://vault.azure.net/.default"], undefined);
    expect(server.requests.at(-1)!.query.has("client_id")).toBe(false);
  });

  it("names Azure Managed Identities Client ID when the user-assigned identity is unknown", async () => {
    const before = server.requests.length;
    const strategy = createManagedIdentityStrategy({
      clientId: "99999999-0000-0000-0000-000000000000",
      maxRetries: 1,
    });
    const error = await strategy
      .fetchToken(["https://graph.microsoft.com/.default"], undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect(error.parameter).toBe("Azure Managed Identities Client ID");
    expect(error.message).toContain(
      "No managed identity with the client ID in Azure Managed Identities Client ID",
    );
    expect(error.message).toContain("Identity not found");
    // A 400 is not retried.
    expect(server.requests.length - before).toBe(1);
  });

  it("retries a failing endpoint a bounded number of times, then explains", async () => {
    const before = server.requests.length;
    const strategy = createManagedIdentityStrategy({ resource: "https://failing.example/", maxRetries: 1 });
    const error = await strategy.fetchToken([], undefined).catch((e) => e);
    expect(error).toBeInstanceOf(MsintError);
    expect(error.message).toBe(
      "Azure Managed Identities could not get a token: the managed identity endpoint answered HTTP 500: IMDS is unwell",
    );
    expect(server.requests.length - before).toBe(2);
  });

  it("refuses several scopes without a request", async () => {
    const before = server.requests.length;
    const strategy = createManagedIdentityStrategy();
    await expect(
      strategy.fetchToken(
        ["https://graph.microsoft.com/.default", "https://vault.azure.net/.default"],
        undefined,
      ),
    ).rejects.toThrow(/one resource at a time/);
    expect(server.requests.length).toBe(before);
  });

  it("has a fingerprint per identity and resource", () => {
    const fp = (clientId?: string, resource?: string) =>
      createManagedIdentityStrategy({ clientId, resource }).fingerprint;
    expect(fp()).toBe(fp("SYSTEM_ASSIGNED"));
    expect(fp()).toBe(fp(" "));
    expect(fp(KNOWN_CLIENT)).not.toBe(fp());
    expect(fp(undefined, "https://graph.microsoft.com/")).not.toBe(fp());
    expect(fp(KNOWN_CLIENT)).not.toContain(KNOWN_CLIENT);
  });
});
