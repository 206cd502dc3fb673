import { describe, expect, it } from "vitest";
import { keyVault, logAnalytics } from "../src/index.js";

// The probes `-test` sends to the Log Analytics query API and a key vault when an integration's own test does not
// reach them, and where their permissions live in an app registration.

describe("logAnalytics()", () => {
  it("probes the workspace with a one-row query (Query - Get, learn.microsoft.com/rest/api/loganalytics/dataaccess/query/get)", () => {
    const resource = logAnalytics();
    expect(resource.permissionsApi).toBe("Log Analytics API");
    expect(resource.probe?.request({ workspaceID: " b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f " })).toEqual({
      path: "/v1/workspaces/b6a6d0f4-6c1e-4c8a-9d2f-3a4b5c6d7e8f/query",
      query: { query: "print Test = 1" },
    });
    // An application needs only an Azure role; a user's token the delegated Data.Read.
    expect(resource.probe?.permissions).toEqual({
      delegated: ["Data.Read"],
      rbac: ["Log Analytics Reader", "Reader"],
    });
  });

  it("names the Workspace ID parameter instead of querying /v1/workspaces//query", () => {
    expect(() => logAnalytics().probe?.request({})).toThrow("Workspace ID is not set");
  });
});

describe("keyVault()", () => {
  it("probes one secret's metadata (Get Secrets, learn.microsoft.com/rest/api/keyvault/secrets/get-secrets)", () => {
    const resource = keyVault();
    expect(resource.permissionsApi).toBe("Azure Key Vault");
    expect(resource.probe?.request({ vault_name: "soc-vault" })).toEqual({
      path: "/secrets",
      query: { "api-version": "7.4", maxresults: 1 },
    });
    expect(resource.probe?.permissions?.rbac).toContain("Key Vault Secrets User");
  });
});
