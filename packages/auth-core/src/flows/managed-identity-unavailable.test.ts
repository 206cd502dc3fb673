// No managed identity endpoint at all (own file: MSAL keeps the endpoint it selected first in process-wide state).
import { beforeAll, describe, expect, it } from "vitest";
import { MsintError } from "../errors.js";
import { closedPort } from "./fake-server.test-support.js";
import { createManagedIdentityStrategy } from "./managed-identity.js";

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
  process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = `http://127.0.0.1:${await closedPort()}`;
});

describe("createManagedIdentityStrategy where no endpoint answers", () => {
  it("fails at once with a message saying where the flow works", async () => {
    // Default retry settings: a refused connection is not retried (measured: well under a second, most of it
    // loading @azure/identity; a host that drops packets instead waits for the 10 s attempt timeout).
    const strategy = createManagedIdentityStrategy();
    const started = Date.now();
    const error = await strategy
      .fetchToken(["https://management.azure.com/.default"], undefined)
      .catch((e) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(MsintError);
    expect(error.code).toBe("managed_identity_unavailable");
    expect(error.message).toMatch(
      /^Azure Managed Identities are not available here: the token endpoint of the managed identity did not answer\. This flow runs only on Azure VMs, App Service, Azure Functions, Container Apps or Arc-enabled servers with a managed identity assigned\./,
    );
    expect(error.message).toContain("connection refused");
    // A generous bound that only catches the minutes-long probing of older SDKs.
    expect(elapsed).toBeLessThan(15_000);
    console.info(`managed identity, connection refused: failed after ${elapsed} ms`);
  });
});
