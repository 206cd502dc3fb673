import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SP = {
  id: "5f2b4c1a-9e8d-4a7b-b6c5-d4e3f2a1b0c9",
  appId: "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
  displayName: "Contoso HR",
  accountEnabled: true,
  servicePrincipalType: "Application",
};

let harness: Harness;
const patches: unknown[] = [];

beforeAll(async () => {
  harness = await startHarness(integration, { grants: { graph: ["Application.ReadWrite.All"] } });
  const { emulator } = harness;
  const spec = {
    resource: "graph",
    roles: ["Application.ReadWrite.All", "Application.Read.All"],
    scopes: ["Application.ReadWrite.All"],
  };
  emulator.addRoute("GET", "/v1.0/servicePrincipals", spec, (ctx) => ctx.json(200, { value: [SP] }));
  emulator.addRoute("GET", "/v1.0/servicePrincipals/:id", spec, (ctx) =>
    ctx.params["id"] === SP.id
      ? ctx.json(200, SP)
      : ctx.error(404, "Request_ResourceNotFound", "Resource does not exist."),
  );
  // Graph's alternate key: /servicePrincipals(appId='…').
  emulator.addRoute("GET", "/v1.0/:lookup", spec, (ctx) =>
    ctx.params["lookup"] === `servicePrincipals(appId='${SP.appId}')`
      ? ctx.json(200, SP)
      : ctx.error(404, "Request_ResourceNotFound", "Resource does not exist."),
  );
  emulator.addRoute(
    "PATCH",
    "/v1.0/servicePrincipals/:id",
    { ...spec, roles: ["Application.ReadWrite.All"] },
    (ctx) => {
      patches.push(ctx.body);
      return ctx.empty(204);
    },
  );
  emulator.addRoute(
    "DELETE",
    "/v1.0/servicePrincipals/:id",
    { ...spec, roles: ["Application.ReadWrite.All"] },
    (ctx) => ctx.empty(204),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("service principals", () => {
  it("msgraph-apps-service-principal-list", async () => {
    const result = await harness.run("msgraph-apps-service-principal-list", {
      limit: "5",
      filter: "startswith(displayName,'Contoso')",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/servicePrincipals",
      query: { $top: "5", $filter: "startswith(displayName,'Contoso')" },
    });
    expect(result.readable).toContain(`|${SP.id}|${SP.appId}|Contoso HR|true|Application|`);
    expect(result).toMatchObject({ outputsPrefix: "MSGraphApplication", outputs: [SP] });
  });

  it("msgraph-apps-service-principal-get by id or by app id", async () => {
    await harness.run("msgraph-apps-service-principal-get", { id: SP.id });
    expect(harness.lastCall().path).toBe(`/v1.0/servicePrincipals/${SP.id}`);
    const result = await harness.run("msgraph-apps-service-principal-get", { app_id: SP.appId });
    expect(harness.lastCall().path).toBe(`/v1.0/servicePrincipals(appId='${SP.appId}')`);
    expect(result.outputs).toEqual(SP);
  });

  it("msgraph-apps-service-principal-update PATCHes only what is given, -remove DELETEs", async () => {
    await harness.run("msgraph-apps-service-principal-update", { id: SP.id, account_enabled: "false" });
    expect(harness.lastCall()).toMatchObject({ method: "PATCH", path: `/v1.0/servicePrincipals/${SP.id}` });
    expect(patches.at(-1)).toEqual({ accountEnabled: false });
    const removed = await harness.run("msgraph-apps-service-principal-remove", { id: SP.id });
    expect(harness.lastCall().method).toBe("DELETE");
    expect(removed.readable).toBe(`Service ${SP.id} was deleted.`);
  });
});

describe("auth errors", () => {
  it("an app without Application.ReadWrite.All is denied", async () => {
    await expect(
      harness.runWithToken("msgraph-apps-service-principal-list", {}, { roles: ["User.Read.All"] }),
    ).rejects.toThrow("Authorization_RequestDenied");
  });
});
