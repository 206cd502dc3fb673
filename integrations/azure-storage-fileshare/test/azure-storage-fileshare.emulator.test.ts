import { DEMO_STORAGE_ACCOUNT, demoAccountSas, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through the integration's only flow, an account SAS (signed with the demo account's key), against
// the emulator's File service. The integration declares no managed identity: Azure Files' share operations take
// Shared Key or SAS only.
const HOST = `${DEMO_STORAGE_ACCOUNT}.file.core.windows.net`;
const SAS = demoAccountSas({ ss: "f", sp: "rwdlc" });

describe("Azure Storage FileShare through an account SAS", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, {
      params: { account_name: DEMO_STORAGE_ACCOUNT, sas_token: SAS },
    });
  });
  afterAll(() => harness.close());

  function sent(method: string, path: string) {
    const call = harness.lastCall();
    expect(call).toMatchObject({ method, host: HOST, path });
    expect(call.headers["x-ms-version"]).toBe("2020-10-02");
    expect(call.headers["authorization"]).toBeUndefined();
    expect(call.query).toMatchObject({ ss: "f", srt: "sco", sig: expect.any(String) });
    return call;
  }

  it("azure-storage-fileshare-list lists the seeded shares (List Shares: GET /?comp=list)", async () => {
    // learn.microsoft.com/rest/api/storageservices/list-shares
    const result = await harness.run("azure-storage-fileshare-list", {});
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", maxresults: "50" });
    expect(result.outputs).toEqual([
      { Name: "evidence", QuotaGb: 50, LastModified: "Mon, 25 Nov 2024 10:00:00 GMT" },
      { Name: "reports", QuotaGb: 100, LastModified: "Mon, 25 Nov 2024 10:00:00 GMT" },
    ]);
    expect(harness.emulator.requests.at(-1)).toMatchObject({ service: "storage", status: 200 });
  });

  it("-content-list and -file-get read the seeded directories and files", async () => {
    // learn.microsoft.com/rest/api/storageservices/list-directories-and-files
    const root = await harness.run("azure-storage-fileshare-content-list", { share_name: "reports" });
    expect(sent("GET", "/reports").query).toMatchObject({ restype: "directory", comp: "list" });
    expect(root.outputs).toEqual({
      Name: "reports",
      Content: { Path: "", File: [{ Name: "readme.txt", Size: 21 }], Directory: [{ Name: "2024" }] },
    });
    const year = await harness.run("azure-storage-fileshare-content-list", {
      share_name: "reports",
      directory_path: "2024",
    });
    sent("GET", "/reports/2024");
    expect(year.readable).toContain("|summary.txt|File|31|");
    // learn.microsoft.com/rest/api/storageservices/get-file: GET /{share}/{path}
    const file = await harness.run("azure-storage-fileshare-file-get", {
      share_name: "reports",
      directory_path: "2024",
      file_name: "summary.txt",
    });
    sent("GET", "/reports/2024/summary.txt");
    expect(file.outputs).toEqual({
      Name: "reports",
      File: { Path: "2024/summary.txt", Content: "42 incidents, 3 high severity.\n", Size: 31 },
    });
  });

  it("-create, -directory-create, -directory-delete and -delete change the account", async () => {
    // learn.microsoft.com/rest/api/storageservices/create-share: PUT /{share}?restype=share, x-ms-share-quota
    await harness.run("azure-storage-fileshare-create", { share_name: "cases", quota_gb: "10" });
    expect(sent("PUT", "/cases").headers["x-ms-share-quota"]).toBe("10");
    // learn.microsoft.com/rest/api/storageservices/create-directory: PUT /{share}/{dir}?restype=directory
    await harness.run("azure-storage-fileshare-directory-create", {
      share_name: "cases",
      directory_name: "2025",
    });
    expect(sent("PUT", "/cases/2025").query["restype"]).toBe("directory");
    await harness.run("azure-storage-fileshare-directory-create", {
      share_name: "cases",
      directory_path: "2025",
      directory_name: "january",
    });
    await expect(
      harness.run("azure-storage-fileshare-directory-create", {
        share_name: "cases",
        directory_path: "x",
        directory_name: "y",
      }),
    ).rejects.toThrow("ParentNotFound");
    await expect(
      harness.run("azure-storage-fileshare-directory-delete", {
        share_name: "cases",
        directory_name: "2025",
      }),
    ).rejects.toThrow("DirectoryNotEmpty");
    // learn.microsoft.com/rest/api/storageservices/delete-directory: DELETE /{share}/{dir}?restype=directory
    await harness.run("azure-storage-fileshare-directory-delete", {
      share_name: "cases",
      directory_path: "2025",
      directory_name: "january",
    });
    sent("DELETE", "/cases/2025/january");
    const listed = await harness.run("azure-storage-fileshare-content-list", {
      share_name: "cases",
      directory_path: "2025",
    });
    expect(listed.outputs).toMatchObject({ Content: { File: [], Directory: [] } });
    // learn.microsoft.com/rest/api/storageservices/delete-share: DELETE /{share}?restype=share
    const deleted = await harness.run("azure-storage-fileshare-delete", { share_name: "cases" });
    expect(sent("DELETE", "/cases").query["restype"]).toBe("share");
    expect(deleted.readable).toBe("Share cases successfully deleted.");
    const shares = await harness.run("azure-storage-fileshare-list", {});
    expect((shares.outputs as Array<{ Name: string }>).map((share) => share.Name)).toEqual([
      "evidence",
      "reports",
    ]);
    // XSOAR's page (from 1) of limit shares.
    const second = await harness.run("azure-storage-fileshare-list", { limit: "1", page: "2" });
    expect((second.outputs as Array<{ Name: string }>).map((share) => share.Name)).toEqual(["reports"]);
  });

  it("-test lists one share at the emulator and names what it reached", async () => {
    const count = () => harness.emulator.requests.filter((request) => request.service === "storage").length;
    const before = count();
    const result = await harness.run("azure-storage-fileshare-test", {});
    expect(count() - before).toBe(1);
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", maxresults: "1" });
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(`- Azure Files: GET ${HOST}/`);
  });

  it("a SAS without the delete permission gets 403 on -delete, which names the command's role", async () => {
    const failure = harness.run(
      "azure-storage-fileshare-delete",
      { share_name: "evidence" },
      { sas_token: demoAccountSas({ ss: "f", sp: "rl" }) },
    );
    await expect(failure).rejects.toThrow("AuthorizationPermissionMismatch");
    await expect(failure).rejects.toThrow(
      "azure-storage-fileshare-delete needs: Azure role Storage File Data Privileged Contributor",
    );
  });

  it("a SAS signed with another key fails -test with the resource, the status and the fix", async () => {
    const forged = SAS.replace(/sig=[^&]+/, "sig=c2lnbmF0dXJl");
    const test = harness.run("azure-storage-fileshare-test", {}, { sas_token: forged });
    await expect(test).rejects.toThrow(/could not reach Azure Files: GET .* answered HTTP 403/);
    await expect(test).rejects.toThrow("Signature did not match");
  });
});
