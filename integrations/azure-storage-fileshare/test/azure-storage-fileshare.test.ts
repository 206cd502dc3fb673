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
  if (call.method === "GET") return readService(call);
  if (call.method === "PUT") return { status: 201 };
  if (call.method === "DELETE") return { status: 202 };
  return { status: 404 };
}

const XML = { "content-type": "application/xml" };

/** The File service's listings and reads, as it answers them. */
function readService(call: ApiCall): FakeResponse {
  if (call.path === "/" && call.query["comp"] === "list") {
    return {
      status: 200,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://socstorage.file.core.windows.net/"><Shares><Share><Name>evidence</Name><Properties><Last-Modified>Wed, 25 Nov 2026 10:00:00 GMT</Last-Modified><Etag>"0x8DC"</Etag><Quota>100</Quota></Properties></Share><Share><Name>reports</Name><Properties><Last-Modified>Tue, 24 Nov 2026 08:00:00 GMT</Last-Modified><Quota>5120</Quota></Properties></Share></Shares><NextMarker /></EnumerationResults>`,
    };
  }
  if (call.query["restype"] === "directory" && call.query["comp"] === "list") {
    if (call.path !== "/evidence" && call.path !== "/evidence/case 42")
      return { status: 404, headers: XML, body: NOT_FOUND };
    return {
      status: 200,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://socstorage.file.core.windows.net/" ShareName="evidence" DirectoryPath="${call.path.slice("/evidence/".length)}"><Entries><File><Name>mail.eml</Name><Properties><Content-Length>2048</Content-Length></Properties></File><Directory><Name>attachments</Name><Properties /></Directory></Entries><NextMarker /></EnumerationResults>`,
    };
  }
  if (call.path === "/evidence/case 42/mail.eml") return { status: 200, body: "From: a@b\r\n\r\nhi" };
  return { status: 404, headers: XML, body: NOT_FOUND };
}

const NOT_FOUND =
  '<?xml version="1.0" encoding="utf-8"?><Error><Code>ResourceNotFound</Code><Message>The specified resource does not exist.</Message></Error>';

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: fileService,
});
beforeEach(() => harness.clear());

describe("Azure Storage FileShare manifest", () => {
  it("takes the account SAS token only, no OAuth parameters", () => {
    expect(integration.manifest).toMatchObject({
      commandPrefix: "azure-storage-fileshare",
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
      directory_path: "/case-42/",
      directory_name: "mail",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "PUT",
      path: "/evidence/case-42/mail",
      query: { restype: "directory" },
    });
    expect(harness.lastCall().headers["x-ms-file-permission"]).toBe("inherit");
    await harness.run("azure-storage-fileshare-directory-delete", {
      share_name: "evidence",
      directory_path: "case-42",
      directory_name: "mail",
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

describe("listings and reads (XML)", () => {
  it("azure-storage-fileshare-list lists the shares with their quota", async () => {
    const result = await harness.run("azure-storage-fileshare-list", {});
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "socstorage.file.core.windows.net",
      path: "/",
      query: { comp: "list", maxresults: "50", sig: "c2lnbmF0dXJl" },
    });
    expect(result.outputs).toEqual([
      { Name: "evidence", LastModified: "Wed, 25 Nov 2026 10:00:00 GMT", QuotaGb: 100 },
      { Name: "reports", LastModified: "Tue, 24 Nov 2026 08:00:00 GMT", QuotaGb: 5120 },
    ]);
    expect(result.readable).toContain("|reports|5120|Tue, 24 Nov 2026 08:00:00 GMT|");
  });

  it("azure-storage-fileshare-content-list lists a directory, or the share's root", async () => {
    const result = await harness.run("azure-storage-fileshare-content-list", {
      share_name: "evidence",
      directory_path: "/case 42/",
    });
    expect(harness.lastCall().url.pathname).toBe("/evidence/case%2042");
    expect(harness.lastCall().query).toMatchObject({ restype: "directory", comp: "list" });
    expect(result.outputs).toEqual({
      Name: "evidence",
      Content: {
        Path: "case 42",
        File: [{ Name: "mail.eml", Size: 2048 }],
        Directory: [{ Name: "attachments" }],
      },
    });
    expect(result.readable).toContain("### Content of evidence/case 42");
    expect(result.readable).toContain("|attachments|Directory||");

    await harness.run("azure-storage-fileshare-content-list", { share_name: "evidence" });
    expect(harness.lastCall().path).toBe("/evidence");
  });

  it("azure-storage-fileshare-file-get returns the content; a missing file is the service's message", async () => {
    const result = await harness.run("azure-storage-fileshare-file-get", {
      share_name: "evidence",
      directory_path: "case 42",
      file_name: "mail.eml",
    });
    expect(harness.lastCall().url.pathname).toBe("/evidence/case%2042/mail.eml");
    expect(result.outputs).toEqual({
      Name: "evidence",
      File: { Path: "case 42/mail.eml", Content: "From: a@b\r\n\r\nhi", Size: 15 },
    });
    expect(result.readable).toContain("### File case 42/mail.eml of evidence (15 bytes)");
    await expect(
      harness.run("azure-storage-fileshare-file-get", { share_name: "evidence", file_name: "nope.txt" }),
    ).rejects.toThrow(/ResourceNotFound|does not exist/);
    await expect(
      harness.run("azure-storage-fileshare-file-get", { share_name: "evidence", file_name: "/" }),
    ).rejects.toThrow("file_name is empty");
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
