import { type ApiCall, type FakeResponse, fakeServiceHarness } from "@msint/integration-testing";
import { beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SAS = "sv=2020-10-02&ss=q&srt=sco&sp=rwdlacup&se=2030-01-01T00%3A00%3A00Z&sig=c2lnbmF0dXJl";

function queueService(call: ApiCall): FakeResponse {
  if (call.query["sig"] !== "c2lnbmF0dXJl") {
    return {
      status: 403,
      body: '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>',
    };
  }
  if (call.method === "PUT" && call.path === "/exists") {
    return {
      status: 409,
      body: '<?xml version="1.0"?><Error><Code>QueueAlreadyExists</Code><Message>The specified queue already exists.</Message></Error>',
    };
  }
  if (call.method === "PUT") return { status: call.query["comp"] ? 204 : 201 };
  if (call.method === "DELETE") return { status: 204 };
  return { status: 404 };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: queueService,
});
beforeEach(() => harness.clear());

describe("Azure Storage Queue manifest", () => {
  it("matches the seed table's row: managed identities, or the account SAS token", () => {
    expect(integration.manifest).toMatchObject({
      id: "azure-storage-queue",
      displayName: "Azure Storage Queue",
      commandPrefix: "azure-storage-queue",
      flows: {
        xsoarApp: false,
        clientCredentials: false,
        deviceCode: false,
        authorizationCode: false,
        managedIdentities: true,
        nationalClouds: false,
      },
      resource: { sharedAccessSignature: true, headers: { "x-ms-version": "2020-10-02" } },
    });
  });
});

describe("queues", () => {
  it("azure-storage-queue-create PUTs the queue on the queue host with metadata headers", async () => {
    const result = await harness.run("azure-storage-queue-create", {
      queue_name: "alerts",
      metadata: '{"owner":"soc"}',
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      host: "socstorage.queue.core.windows.net",
      path: "/alerts",
      query: { sv: "2020-10-02", sig: "c2lnbmF0dXJl" },
    });
    expect(call.headers).toMatchObject({ "x-ms-version": "2020-10-02", "x-ms-meta-owner": "soc" });
    expect(result).toMatchObject({
      readable: "Queue alerts successfully created.",
      outputsPrefix: "AzureStorageQueue.Queue",
      outputs: { name: "alerts" },
    });
  });

  it("azure-storage-queue-metadata-set, -message-clear and -delete", async () => {
    await harness.run("azure-storage-queue-metadata-set", {
      queue_name: "alerts",
      metadata: '{"tier":"hot"}',
    });
    expect(harness.lastCall()).toMatchObject({ method: "PUT", path: "/alerts", query: { comp: "metadata" } });
    await harness.run("azure-storage-queue-message-clear", { queue_name: "alerts" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: "/alerts/messages" });
    await harness.run("azure-storage-queue-delete", { queue_name: "alerts" });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: "/alerts" });
  });

  it("reports the service's error codes", async () => {
    await expect(harness.run("azure-storage-queue-create", { queue_name: "exists" })).rejects.toThrow(
      "QueueAlreadyExists",
    );
  });
});

describe("auth errors", () => {
  it("a rejected SAS token is reported as AuthenticationFailed", async () => {
    await expect(
      harness.run(
        "azure-storage-queue-delete",
        { queue_name: "alerts" },
        { sas_token: "sv=2020-10-02&sig=wrong" },
      ),
    ).rejects.toThrow("AuthenticationFailed");
  });
});
