import { type ApiCall, type FakeResponse, fakeServiceHarness } from "@msint/integration-testing";
import { beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SAS = "sv=2020-10-02&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&sig=c2lnbmF0dXJl";

// The Blob service answers XML errors; a request without the account's signature is refused.
function blobService(call: ApiCall): FakeResponse {
  if (call.query["sig"] !== "c2lnbmF0dXJl") {
    return {
      status: 403,
      headers: { "content-type": "application/xml" },
      body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>',
    };
  }
  if (call.method === "PUT" && call.query["restype"] === "container") return { status: 201 };
  if (call.method === "PUT") return { status: 201 };
  if (call.method === "DELETE") return { status: 202 };
  return { status: 404 };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: blobService,
});
beforeEach(() => harness.clear());

describe("Azure Storage Container manifest", () => {
  it("matches the seed table's row: managed identities, or the account SAS token", () => {
    expect(integration.manifest).toMatchObject({
      id: "azure-storage-container",
      displayName: "Azure Storage Container",
      commandPrefix: "azure-storage-container",
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

describe("containers and blobs", () => {
  it("azure-storage-container-create PUTs ?restype=container on the blob host with the SAS token", async () => {
    const result = await harness.run("azure-storage-container-create", {
      container_name: "evidence",
      public_access: "blob",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      host: "socstorage.blob.core.windows.net",
      path: "/evidence",
    });
    expect(call.query).toMatchObject({ restype: "container", sv: "2020-10-02", sig: "c2lnbmF0dXJl" });
    expect(call.headers).toMatchObject({ "x-ms-version": "2020-10-02", "x-ms-blob-public-access": "blob" });
    expect(result).toMatchObject({
      readable: "Container evidence successfully created.",
      outputs: { name: "evidence" },
    });
  });

  it("azure-storage-container-blob-create uploads a block blob", async () => {
    const result = await harness.run("azure-storage-container-blob-create", {
      container_name: "evidence",
      blob_name: "case 42/notes.txt",
      content: "phish",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({ method: "PUT", path: "/evidence/case 42/notes.txt", body: "phish" });
    expect(call.url.pathname).toBe("/evidence/case%2042/notes.txt");
    expect(call.headers).toMatchObject({
      "x-ms-blob-type": "BlockBlob",
      "content-type": "text/plain; charset=utf-8",
    });
    expect(result.readable).toContain("|evidence|case 42/notes.txt|5|");
  });

  it("azure-storage-container-blob-delete and -delete", async () => {
    await harness.run("azure-storage-container-blob-delete", {
      container_name: "evidence",
      blob_name: "a.txt",
    });
    expect(harness.lastCall()).toMatchObject({ method: "DELETE", path: "/evidence/a.txt" });
    expect(harness.lastCall().headers["x-ms-delete-snapshots"]).toBe("include");
    await harness.run("azure-storage-container-delete", { container_name: "evidence" });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: "/evidence",
      query: { restype: "container" },
    });
  });

  it("rejects an invalid container name before any request", async () => {
    await expect(
      harness.run("azure-storage-container-create", { container_name: "Bad_Name" }),
    ).rejects.toThrow("is not a container name");
    expect(harness.calls).toHaveLength(0);
  });
});

describe("auth errors", () => {
  it("the service's XML AuthenticationFailed is reported", async () => {
    await expect(
      harness.run(
        "azure-storage-container-create",
        { container_name: "evidence" },
        { sas_token: "sv=2020-10-02&sig=old" },
      ),
    ).rejects.toThrow("AuthenticationFailed");
  });

  it("no SAS token and no managed identity: the parameter is named", async () => {
    await expect(
      harness.run("azure-storage-container-create", { container_name: "evidence" }, { sas_token: "" }),
    ).rejects.toThrow("Account SAS Token");
  });
});
