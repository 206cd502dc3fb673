// App Service / Azure Functions through IDENTITY_ENDPOINT + IDENTITY_HEADER (own file: MSAL keeps the endpoint it
// selected first in process-wide state).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParameterError } from "../errors.js";
import { type FakeServer, startFakeServer } from "./fake-server.test-support.js";
import { createManagedIdentityStrategy } from "./managed-identity.js";

let server: FakeServer;
const HEADER = "app-service-identity-header-secret";
const KNOWN_CLIENT = "aaaaaaaa-2222-3333-4444-555555555555";

beforeAll(async () => {
  for (const name of ["IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT"]) {
    delete process.env[name];
  }
  delete process.env["AZURE_FEDERATED_TOKEN_FILE"];
  server = await startFakeServer((request) => {
    if (request.path !== "/msi/token") return { status: 404, text: "no" };
    if (request.headers["x-identity-header"] !== HEADER)
      return { status: 401, json: { message: "bad header" } };
    const clientId = request.query.get("client_id");
    if (clientId && clientId !== KNOWN_CLIENT) {
      return {
        status: 400,
        json: {
          statusCode: 400,
          message: "Unable to load the proper Managed Identity.",
          correlationId: "c-1",
        },
      };
    }
    return {
      json: {
        access_token: `app-service-token-${clientId ?? "system"}`,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: request.query.get("resource"),
        token_type: "Bearer",
        client_id: clientId ?? "system-client",
      },
    };
  });
  process.env["IDENTITY_ENDPOINT"] = `${server.url}/msi/token`;
  process.env["IDENTITY_HEADER"] = HEADER;
});

afterAll(async () => {
  await server.close();
  delete process.env["IDENTITY_ENDPOINT"];
  delete process.env["IDENTITY_HEADER"];
});

describe("createManagedIdentityStrategy on App Service", () => {
  it("sends X-IDENTITY-HEADER, api-version 2019-08-01 and the resource; client_id only for user-assigned", async () => {
    const system = createManagedIdentityStrategy({ maxRetries: 1 });
    const first = await system.fetchToken(["https://management.azure.com/.default"], undefined);
    expect(first.token.accessToken).toBe("app-service-token-system");
    expect(first.token.expiresInSeconds).toBeGreaterThan(3500);
    let request = server.requests.at(-1)!;
    expect(request.method).toBe("GET");
    expect(request.headers["x-identity-header"]).toBe(HEADER);
    expect(request.query.get("api-version")).toBe("2019-08-01");
    expect(request.query.get("resource")).toBe("https://management.azure.com");
    expect(request.query.has("client_id")).toBe(false);

    const user = createManagedIdentityStrategy({ clientId: KNOWN_CLIENT, maxRetries: 1 });
    const second = await user.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    expect(second.token.accessToken).toBe(`app-service-token-${KNOWN_CLIENT}`);
    request = server.requests.at(-1)!;
    expect(request.query.get("client_id")).toBe(KNOWN_CLIENT);
  });

  it("names Azure Managed Identities Client ID when App Service does not know the identity", async () => {
    const strategy = createManagedIdentityStrategy({
      clientId: "bbbbbbbb-0000-0000-0000-000000000000",
      maxRetries: 1,
    });
    const error = await strategy
      .fetchToken(["https://graph.microsoft.com/.default"], undefined)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect(error.parameter).toBe("Azure Managed Identities Client ID");
    expect(error.message).toContain("Unable to load the proper Managed Identity.");
  });
});
