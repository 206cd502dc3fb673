import { defineIntegration, graph, storage } from "@msint/integration-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeServiceHarness, type Harness, startHarness } from "../src/index.js";

const sample = defineIntegration({
  id: "harness-sample",
  displayName: "Harness Sample",
  commandPrefix: "harness-sample",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: graph({ delegated: ["User.Read.All"] }),
  commands: {
    "harness-sample-users": {
      description: "Lists users.",
      run: async ({ api }) => ({ readable: "", raw: await api.get("/v1.0/users", { $top: 2 }) }),
    },
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(sample);
});
afterAll(() => harness.close());

describe("startHarness", () => {
  it("sends the real hosts' requests to the emulator and records them as sent", async () => {
    const result = await harness.run("harness-sample-users");
    expect((result.raw as { value: unknown[] }).value).toHaveLength(2);
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "graph.microsoft.com",
      path: "/v1.0/users",
      query: { $top: "2" },
    });
    expect(harness.emulator.tokenRequests()).toHaveLength(1);
    await harness.run("harness-sample-users", {}, { azure_cloud: "US GCC-High" });
    expect(harness.lastCall().host).toBe("graph.microsoft.us");
  });

  it("runWithToken mints a delegated token for the instance's audience", async () => {
    const result = await harness.runWithToken("harness-sample-users", {}, { scp: "User.Read.All" });
    expect((result.raw as { value: unknown[] }).value).toHaveLength(2);
    await expect(harness.runWithToken("harness-sample-users", {}, { scp: "Mail.Read" })).rejects.toThrow(
      "Authorization_RequestDenied",
    );
  });
});

describe("fakeServiceHarness", () => {
  it("answers in process and records the request, SAS query included", async () => {
    const blobs = defineIntegration({
      id: "harness-blobs",
      displayName: "Harness Blobs",
      commandPrefix: "harness-blobs",
      flows: {
        xsoarApp: false,
        clientCredentials: false,
        deviceCode: false,
        authorizationCode: false,
        managedIdentities: false,
        nationalClouds: false,
      },
      resource: storage("blob"),
      commands: {
        "harness-blobs-create": {
          description: "Creates a container.",
          run: async ({ api }) => {
            await api.request({ method: "PUT", path: "/evidence", query: { restype: "container" } });
            return { readable: "created" };
          },
        },
      },
    });
    const runner = fakeServiceHarness(blobs, {
      params: { account_name: "soc", sas_token: "sv=2020-10-02&sig=abc" },
      handle: () => ({ status: 201 }),
    });
    await expect(runner.run("harness-blobs-create")).resolves.toEqual({ readable: "created" });
    expect(runner.lastCall()).toMatchObject({
      method: "PUT",
      host: "soc.blob.core.windows.net",
      path: "/evidence",
      query: { restype: "container", sv: "2020-10-02", sig: "abc" },
      headers: { "x-ms-version": "2020-10-02" },
    });
  });
});
