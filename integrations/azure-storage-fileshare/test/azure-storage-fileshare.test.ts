import { type ApiCall, type FakeResponse, fakeServiceHarness } from "@msint/integration-testing";
import { beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SAS = "?sv=2020-10-02&ss=f&srt=sco&sp=rwdlc&se=2030-01-01T00%3A00%3A00Z&sig=c2lnbmF0dXJl";

function fileService(call: ApiCall): FakeResponse {
  if (call.query["sig"] !== "c2lnbmF0dXJl") {
    return {
      status: 403,
      body: '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>',
    };
  }
  if (call.method === "PUT") return { status: 201 };
  if (call.method === "DELETE") return { status: 202 };
  return { status: 404 };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: fileService,
});
beforeEach(() => harness.clear());

describe("Azure Storage FileShare manifest", () => {
  it("matches the seed table's row: no OAuth flow at all, the account SAS token only", () => {
    expect(integration.manifest).toMatchObject({
      id: "azure-storage-fileshare",
      displayName: "Azure Storage FileShare",
      commandPrefix: "azure-storage-fileshare",
      flows: {
        xsoarApp: false,
        clientCredentials: false,
        deviceCode: false,
        authorizationCode: false,
        managedIdentities: false,
        nationalClouds: false,
      },
      resource: { sharedAccessSignature: true },
    });
    const keys = integration.parameters.map((parameter) => parameter.key);
    expect(keys).toEqual(expect.arrayContaining(["account_name", "sas_token"]));
    expect(keys).not.toContain("use_managed_identities");
    expect(keys).not.toContain("enc_key");
  });
});

describe("shares and directories", () => {
  it("azure-storage-fileshare-create PUTs ?restype=share on the file host", async () => {
    const result = await harness.run("azure-storage-fileshare-create", {
      share_name: "evidence",
      quota_gb: "100",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "PUT",
      host: "socstorage.file.core.windows.net",
      path: "/evidence",
      query: { restype: "share", sig: "c2lnbmF0dXJl" },
    });
    expect(call.headers).toMatchObject({ "x-ms-version": "2020-10-02", "x-ms-share-quota": "100" });
    expect(result).toMatchObject({
      readable: "Share evidence successfully created.",
      outputs: { Name: "evidence" },
    });
  });

  it("azure-storage-fileshare-directory-create and -directory-delete", async () => {
    await harness.run("azure-storage-fileshare-directory-create", {
      share_name: "evidence",
      directory_path: "/case-42/mail/",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: "/evidence/case-42/mail",
      query: { restype: "directory" },
    });
    expect(harness.lastCall().headers["x-ms-file-permission"]).toBe("inherit");
    await harness.run("azure-storage-fileshare-directory-delete", {
      share_name: "evidence",
      directory_path: "case-42/mail",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: "/evidence/case-42/mail",
      query: { restype: "directory" },
    });
  });

  it("azure-storage-fileshare-delete includes snapshots", async () => {
    await harness.run("azure-storage-fileshare-delete", { share_name: "evidence" });
    expect(harness.lastCall()).toMatchObject({
      method: "DELETE",
      path: "/evidence",
      query: { restype: "share" },
    });
    expect(harness.lastCall().headers["x-ms-delete-snapshots"]).toBe("include");
  });
});

describe("auth errors", () => {
  it("a SAS token the service does not accept is reported in its words", async () => {
    await expect(
      harness.run(
        "azure-storage-fileshare-delete",
        { share_name: "evidence" },
        { sas_token: "sv=2020-10-02&sig=wrong" },
      ),
    ).rejects.toThrow("AuthenticationFailed");
  });

  it("FileShare is SAS only: no Authentication Type is offered and no bearer token is ever sent", async () => {
    await expect(
      harness.run(
        "azure-storage-fileshare-delete",
        { share_name: "evidence" },
        { auth_type: "Azure Managed Identities" },
      ),
    ).resolves.toBeDefined();
    expect(harness.lastCall().headers["authorization"]).toBeUndefined();
  });
});
