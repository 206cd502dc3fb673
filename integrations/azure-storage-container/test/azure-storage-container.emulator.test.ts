import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_STORAGE_ACCOUNT,
  DEMO_STORAGE_ACCOUNT_KEY,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  demoAccountSas,
  type Harness,
  startHarness,
} from "@msint/integration-testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through the instance's own flows (the system-assigned managed identity, whose token the emulator's
// IMDS issues, and an account SAS signed with the demo account's key) against the emulator's Blob service.
const HOST = `${DEMO_STORAGE_ACCOUNT}.blob.core.windows.net`;
const FLOWS = [
  { flow: "managed identity", params: { use_managed_identities: true, account_name: DEMO_STORAGE_ACCOUNT } },
  {
    flow: "account SAS",
    params: { account_name: DEMO_STORAGE_ACCOUNT, sas_token: demoAccountSas({ ss: "b", sp: "rwdlact" }) },
  },
] as const;

describe.each(FLOWS)("Azure Storage Container through $flow", ({ flow, params }) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params });
  });
  afterAll(() => harness.close());

  function sent(method: string, path: string) {
    const call = harness.lastCall();
    expect(call).toMatchObject({ method, host: HOST, path });
    expect(call.headers["x-ms-version"]).toBe("2020-10-02");
    if (flow === "managed identity") expect(call.headers["authorization"]).toMatch(/^Bearer /);
    else expect(call.query).toMatchObject({ ss: "b", sig: expect.any(String) });
    return call;
  }

  it("azure-storage-container-list lists the seeded containers (List Containers: GET /?comp=list)", async () => {
    // learn.microsoft.com/rest/api/storageservices/list-containers2
    const result = await harness.run("azure-storage-container-list", {});
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", maxresults: "50" });
    expect(result.outputs).toEqual([
      expect.objectContaining({
        name: "alerts",
        Property: expect.objectContaining({ public_access: "none" }),
      }),
      expect.objectContaining({ name: "evidence" }),
      expect.objectContaining({
        name: "public-reports",
        Property: expect.objectContaining({ public_access: "blob" }),
      }),
    ]);
    expect(result.readable).toContain("|alerts|Mon, 25 Nov 2024 10:00:00 GMT|none|available|");
    expect(harness.emulator.requests.at(-1)).toMatchObject({ service: "storage", status: 200 });
  });

  it("-blob-list and -blob-get read the seeded blobs", async () => {
    // learn.microsoft.com/rest/api/storageservices/list-blobs: GET /{container}?restype=container&comp=list
    const listed = await harness.run("azure-storage-container-blob-list", { container_name: "alerts" });
    expect(sent("GET", "/alerts").query).toMatchObject({ restype: "container", comp: "list" });
    expect(listed.outputs).toMatchObject({
      name: "alerts",
      Blob: [
        { name: "2024/incident-42.json", Property: { content_type: "application/json", content_length: 55 } },
        { name: "readme.txt" },
      ],
    });
    // learn.microsoft.com/rest/api/storageservices/get-blob: GET /{container}/{blob}
    const got = await harness.run("azure-storage-container-blob-get", {
      container_name: "alerts",
      blob_name: "2024/incident-42.json",
    });
    sent("GET", "/alerts/2024/incident-42.json");
    expect(got.outputs).toMatchObject({
      name: "alerts",
      Blob: { content: '{"id":42,"title":"Impossible travel","severity":"high"}', size: 55 },
    });
  });

  it("-create, -blob-create, -blob-delete and -delete change the account", async () => {
    // learn.microsoft.com/rest/api/storageservices/create-container: PUT /{container}?restype=container
    await harness.run("azure-storage-container-create", { container_name: "cases", public_access: "blob" });
    expect(sent("PUT", "/cases").headers["x-ms-blob-public-access"]).toBe("blob");
    // learn.microsoft.com/rest/api/storageservices/put-blob: PUT /{container}/{blob}, x-ms-blob-type
    const created = await harness.run("azure-storage-container-blob-create", {
      container_name: "cases",
      blob_name: "notes/case 1.txt",
      content: "héllo",
    });
    expect(sent("PUT", "/cases/notes/case 1.txt").headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(created.readable).toContain("|cases|notes/case 1.txt|6|");
    const got = await harness.run("azure-storage-container-blob-get", {
      container_name: "cases",
      blob_name: "notes/case 1.txt",
    });
    expect(got.outputs).toMatchObject({ Blob: { content: "héllo", size: 6 } });
    // learn.microsoft.com/rest/api/storageservices/delete-blob: DELETE /{container}/{blob}
    await harness.run("azure-storage-container-blob-delete", {
      container_name: "cases",
      blob_name: "notes/case 1.txt",
    });
    expect(sent("DELETE", "/cases/notes/case 1.txt").headers["x-ms-delete-snapshots"]).toBe("include");
    await expect(
      harness.run("azure-storage-container-blob-get", {
        container_name: "cases",
        blob_name: "notes/case 1.txt",
      }),
    ).rejects.toThrow("BlobNotFound");
    // learn.microsoft.com/rest/api/storageservices/delete-container: DELETE /{container}?restype=container
    const deleted = await harness.run("azure-storage-container-delete", { container_name: "cases" });
    expect(sent("DELETE", "/cases").query["restype"]).toBe("container");
    expect(deleted.readable).toBe("Container cases successfully deleted.");
    await expect(
      harness.run("azure-storage-container-blob-list", { container_name: "cases" }),
    ).rejects.toThrow("ContainerNotFound");
  });

  it("-property-get and -blob-property-get read the properties headers", async () => {
    // learn.microsoft.com/rest/api/storageservices/get-container-properties: GET /{container}?restype=container
    const container = await harness.run("azure-storage-container-property-get", { container_name: "alerts" });
    expect(sent("GET", "/alerts").query).toMatchObject({ restype: "container" });
    expect(container.outputs).toMatchObject({
      name: "alerts",
      Property: {
        last_modified: "Mon, 25 Nov 2024 10:00:00 GMT",
        lease_status: "unlocked",
        lease_state: "available",
        has_immutability_policy: "false",
        has_legal_hold: "false",
      },
    });
    // learn.microsoft.com/rest/api/storageservices/get-blob-properties: HEAD /{container}/{blob}
    const blob = await harness.run("azure-storage-container-blob-property-get", {
      container_name: "alerts",
      blob_name: "readme.txt",
    });
    sent("HEAD", "/alerts/readme.txt");
    expect(blob.outputs).toMatchObject({
      name: "alerts",
      Blob: {
        name: "readme.txt",
        Property: {
          blob_type: "BlockBlob",
          content_length: 37,
          content_type: "text/plain; charset=utf-8",
          "content-md5": expect.any(String),
          creation_time: "Mon, 25 Nov 2024 10:00:00 GMT",
        },
      },
    });
  });

  it("-blob-update, -blob-property-set, -blob-tag-set and -blob-tag-get change a blob", async () => {
    const container = flow === "managed identity" ? "evidence" : "alerts";
    const blob = flow === "managed identity" ? "phishing/sample.eml" : "readme.txt";
    const dir = await mkdtemp(join(tmpdir(), "msint-blob-"));
    const file = join(dir, "update.eml");
    await writeFile(file, "Subject: re\n");
    // Put Blob over the existing blob (learn.microsoft.com/rest/api/storageservices/put-blob), a file's bytes.
    await harness.run("azure-storage-container-blob-update", {
      container_name: container,
      blob_name: blob,
      file_entry_id: file,
    });
    expect(sent("PUT", `/${container}/${blob}`).headers).toMatchObject({
      "x-ms-blob-type": "BlockBlob",
      "content-type": "application/octet-stream",
    });
    // learn.microsoft.com/rest/api/storageservices/set-blob-properties: PUT ?comp=properties, x-ms-blob-* headers
    await harness.run("azure-storage-container-blob-property-set", {
      container_name: container,
      blob_name: blob,
      content_type: "application/vnd.ms-outlook",
      content_language: "en-US",
      cache_control: "no-cache",
    });
    const set = sent("PUT", `/${container}/${blob}`);
    expect(set.query).toMatchObject({ comp: "properties" });
    expect(set.headers).toMatchObject({
      "x-ms-blob-content-type": "application/vnd.ms-outlook",
      "x-ms-blob-content-language": "en-US",
      "x-ms-blob-cache-control": "no-cache",
    });
    const properties = await harness.run("azure-storage-container-blob-property-get", {
      container_name: container,
      blob_name: blob,
    });
    expect(properties.outputs).toMatchObject({
      Blob: { Property: { content_type: "application/vnd.ms-outlook", content_length: 12 } },
    });
    // learn.microsoft.com/rest/api/storageservices/set-blob-tags: PUT ?comp=tags with a Tags XML body
    const tagged = await harness.run("azure-storage-container-blob-tag-set", {
      container_name: container,
      blob_name: blob,
      tags: '{"case":"42","stage":"triage & review"}',
    });
    const put = sent("PUT", `/${container}/${blob}`);
    expect(put.query).toMatchObject({ comp: "tags" });
    expect(put.body).toContain("<Tag><Key>stage</Key><Value>triage &amp; review</Value></Tag>");
    expect(tagged.readable).toBe(`${blob} Tags successfully updated.`);
    // learn.microsoft.com/rest/api/storageservices/get-blob-tags: GET ?comp=tags
    const tags = await harness.run("azure-storage-container-blob-tag-get", {
      container_name: container,
      blob_name: blob,
    });
    expect(sent("GET", `/${container}/${blob}`).query).toMatchObject({ comp: "tags" });
    expect(tags.outputs).toEqual({
      name: container,
      Blob: {
        name: blob,
        Tag: [
          { Key: "case", Value: "42" },
          { Key: "stage", Value: "triage & review" },
        ],
      },
    });
  });

  it("-blob-get gives XSOAR's File entry and -blob-tag-get the seeded tags", async () => {
    const got = await harness.run("azure-storage-container-blob-get", {
      container_name: "alerts",
      blob_name: "2024/incident-42.json",
    });
    expect(got.additionalOutputs?.["File"]).toMatchObject({
      Name: "incident-42.json",
      Size: 55,
      Extension: "json",
      SHA256: createHash("sha256")
        .update('{"id":42,"title":"Impossible travel","severity":"high"}')
        .digest("hex"),
    });
    const tags = await harness.run("azure-storage-container-blob-tag-get", {
      container_name: "alerts",
      blob_name: "2024/incident-42.json",
    });
    expect(tags.readable).toContain("|severity|high|");
  });

  it("-list pages with limit and page", async () => {
    const second = await harness.run("azure-storage-container-list", { limit: "1", page: "2" });
    expect(sent("GET", "/").query).toMatchObject({ comp: "list" });
    expect(second.outputs).toEqual([expect.objectContaining({ name: "evidence" })]);
  });

  it("-block-public-access makes a container private (Set Container ACL), with a token only", async () => {
    // learn.microsoft.com/rest/api/storageservices/set-container-acl: PUT ?restype=container&comp=acl without
    // x-ms-blob-public-access.
    const run = harness.run("azure-storage-container-block-public-access", {
      container_name: "public-reports",
    });
    if (flow === "account SAS") {
      await expect(run).rejects.toThrow("AuthorizationPermissionMismatch");
      return;
    }
    const result = await run;
    const call = sent("PUT", "/public-reports");
    expect(call.query).toMatchObject({ restype: "container", comp: "acl" });
    expect(call.headers["x-ms-blob-public-access"]).toBeUndefined();
    expect(result.readable).toBe("Public access to container 'public-reports' has been successfully blocked");
    const after = await harness.run("azure-storage-container-property-get", {
      container_name: "public-reports",
    });
    expect(after.outputs).toMatchObject({ Property: { public_access: "none" } });
  });

  it("-test lists one container at the emulator and names what it reached", async () => {
    const count = () => harness.emulator.requests.filter((request) => request.service === "storage").length;
    const before = count();
    const result = await harness.run("azure-storage-container-test", {});
    expect(count() - before).toBe(1);
    expect(sent("GET", "/").query).toMatchObject({ comp: "list", maxresults: "1" });
    expect(result.readable).toContain("✅ Success!");
    expect(result.readable).toContain(`- Azure Blob Storage: GET ${HOST}/`);
  });
});

describe("azure-storage-container-sas-create", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params: FLOWS[0].params });
  });
  afterAll(() => harness.close());

  /** A request with the SAS alone (no token), as its holder sends it, to the emulator's Blob service. */
  async function withSas(method: string, path: string, token: string, query = "") {
    const response = await fetch(`${harness.emulator.url}${path}?${query}${query ? "&" : ""}${token}`, {
      method,
      headers: { "x-forwarded-host": HOST, "x-ms-version": "2020-10-02", "x-ms-blob-type": "BlockBlob" },
      ...(method === "PUT" ? { body: "x" } : {}),
    });
    return { status: response.status, body: await response.text() };
  }

  it("signs a container SAS with the account key that the Blob service accepts for what it grants", async () => {
    const result = await harness.run("azure-storage-container-sas-create", {
      container_name: "alerts",
      signed_permissions: "rl",
      expiry_time: "2",
      account_key: DEMO_STORAGE_ACCOUNT_KEY,
    });
    // Nothing is sent: the key signs the token (learn.microsoft.com/rest/api/storageservices/create-service-sas).
    expect(harness.calls).toHaveLength(0);
    const token = (result.outputs as { SAS: { token: string } }).SAS.token;
    const fields = new URLSearchParams(token);
    expect(Object.fromEntries(fields)).toMatchObject({ sv: "2020-10-02", sp: "rl", sr: "c", spr: "https" });
    const hours = (Date.parse(fields.get("se")!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    expect(result.readable).toContain(token);
    expect((await withSas("GET", "/alerts/readme.txt", token)).body).toBe(
      "Alerts exported by the SOC pipeline.\n",
    );
    expect((await withSas("GET", "/alerts", token, "restype=container&comp=list")).status).toBe(200);
    // Read and list only: a write is refused, and another container does not match the signature.
    const write = await withSas("PUT", "/alerts/new.txt", token);
    expect(write.status).toBe(403);
    expect(write.body).toContain("AuthorizationPermissionMismatch");
    const other = await withSas("GET", "/evidence/phishing/sample.eml", token);
    expect(other.status).toBe(403);
    expect(other.body).toContain("Signature did not match");
  });

  it("signs one blob with sr=b and blob_name, and refuses without the key", async () => {
    const result = await harness.run("azure-storage-container-sas-create", {
      container_name: "alerts",
      signed_resources: "b",
      blob_name: "readme.txt",
      account_key: DEMO_STORAGE_ACCOUNT_KEY,
    });
    const token = (result.outputs as { SAS: { token: string } }).SAS.token;
    expect((await withSas("GET", "/alerts/readme.txt", token)).status).toBe(200);
    expect((await withSas("GET", "/alerts/2024/incident-42.json", token)).status).toBe(403);
    await expect(
      harness.run("azure-storage-container-sas-create", { container_name: "alerts" }),
    ).rejects.toThrow("account_key is not set");
  });
});

describe("Azure Storage Container: refusals name what is missing", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(integration, { params: { account_name: DEMO_STORAGE_ACCOUNT } });
  });
  afterAll(() => harness.close());

  it("a managed identity with only Storage Blob Data Reader gets 403 on -blob-create, which names its role", async () => {
    const identity = harness.emulator.seed.managedIdentities!.find(
      (candidate) => candidate.clientId === DEMO_USER_ASSIGNED_CLIENT_ID,
    )!;
    identity.grants = { ...identity.grants, storage: ["Storage Blob Data Reader"] };
    const params = {
      use_managed_identities: true,
      managed_identities_client_id: DEMO_USER_ASSIGNED_CLIENT_ID,
    };
    expect((await harness.run("azure-storage-container-list", {}, params)).outputs).toHaveLength(3);
    const failure = harness.run(
      "azure-storage-container-blob-create",
      { container_name: "alerts", blob_name: "x.txt", content: "x" },
      params,
    );
    await expect(failure).rejects.toThrow("AuthorizationPermissionMismatch");
    await expect(failure).rejects.toThrow(
      "azure-storage-container-blob-create needs: Azure role Storage Blob Data Contributor",
    );
  });

  it("an expired SAS fails -test with the resource, the status and the fix", async () => {
    const expired = demoAccountSas({ ss: "b", se: "2020-01-01T00:00:00Z" });
    const test = harness.run("azure-storage-container-test", {}, { sas_token: expired });
    await expect(test).rejects.toThrow(/could not reach Azure Blob Storage: GET .* answered HTTP 403/);
    await expect(test).rejects.toThrow("Signature not valid in the specified time frame");
  });
});
