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
  if (call.method === "GET") return readService(call);
  if (call.method === "PUT" && call.query["restype"] === "container") return { status: 201 };
  if (call.method === "PUT") return { status: 201 };
  if (call.method === "DELETE") return { status: 202 };
  return { status: 404 };
}

const XML = { "content-type": "application/xml" };
const CONTAINERS = ["alerts", "evidence", "evidence-2024", "evidence-2025"];

/** The listings and blob reads of the Blob service, as it answers them (XML, pages of maxresults). */
function readService(call: ApiCall): FakeResponse {
  if (call.path === "/" && call.query["comp"] === "list") {
    const names = CONTAINERS.filter((name) => name.startsWith(call.query["prefix"] ?? ""));
    const start = call.query["marker"] ? names.indexOf(call.query["marker"].split("/").at(-1)!) : 0;
    // Like the service, a page may hold fewer than maxresults (here at most 2) and still have a NextMarker.
    const page = names.slice(start, start + Math.min(2, Number(call.query["maxresults"] ?? 5000)));
    const next = names[start + page.length];
    return {
      status: 200,
      headers: XML,
      body: `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://socstorage.blob.core.windows.net/"><MaxResults>${page.length}</MaxResults><Containers>${page
        .map(
          (name) =>
            `<Container><Name>${name}</Name><Properties><Last-Modified>Wed, 25 Nov 2026 10:00:00 GMT</Last-Modified><Etag>"0x8DC"</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>${name === "alerts" ? "<PublicAccess>container</PublicAccess>" : ""}</Properties><Metadata /></Container>`,
        )
        .join(
          "",
        )}</Containers><NextMarker>${next ? `/socstorage/${next}` : ""}</NextMarker></EnumerationResults>`,
    };
  }
  if (call.path === "/evidence" && call.query["comp"] === "list" && call.query["restype"] === "container") {
    return {
      status: 200,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://socstorage.blob.core.windows.net/" ContainerName="evidence"><Prefix>${call.query["prefix"] ?? ""}</Prefix><Blobs><Blob><Name>case 42/notes &amp; mail.txt</Name><Properties><Creation-Time>Wed, 25 Nov 2026 09:00:00 GMT</Creation-Time><Last-Modified>Wed, 25 Nov 2026 10:00:00 GMT</Last-Modified><Content-Length>5</Content-Length><Content-Type>text/plain; charset=utf-8</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob></Blobs><NextMarker /></EnumerationResults>`,
    };
  }
  if (call.path === "/evidence/case 42/notes.txt") return { status: 200, body: "phish\nline 2" };
  return {
    status: 404,
    headers: XML,
    body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>',
  };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: blobService,
});
beforeEach(() => harness.clear());

describe("Azure Storage Container manifest", () => {
  it("authenticates with the account SAS token and sends x-ms-version", () => {
    expect(integration.manifest).toMatchObject({
      commandPrefix: "azure-storage-container",
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

describe("listings and reads (XML)", () => {
  it("azure-storage-container-list follows NextMarker up to limit and says there are more", async () => {
    const result = await harness.run("azure-storage-container-list", { limit: "3" });
    expect(harness.calls.map((call) => call.query)).toEqual([
      expect.objectContaining({ comp: "list", maxresults: "3", sig: "c2lnbmF0dXJl" }),
      expect.objectContaining({ comp: "list", maxresults: "1", marker: "/socstorage/evidence-2024" }),
    ]);
    expect(harness.calls[0]!.query["marker"]).toBeUndefined();
    expect(result.outputs).toEqual([
      {
        name: "alerts",
        Property: {
          last_modified: "Wed, 25 Nov 2026 10:00:00 GMT",
          public_access: "container",
          lease_state: "available",
        },
      },
      expect.objectContaining({
        name: "evidence",
        Property: expect.objectContaining({ public_access: "none" }),
      }),
      expect.objectContaining({ name: "evidence-2024" }),
    ]);
    expect(result.readable).toContain("|alerts|Wed, 25 Nov 2026 10:00:00 GMT|container|available|");
    expect(result.readable).toContain("There are more");
  });

  it("azure-storage-container-list with a prefix that fits one page", async () => {
    const result = await harness.run("azure-storage-container-list", { prefix: "evidence-" });
    expect(harness.lastCall().query).toMatchObject({ prefix: "evidence-", maxresults: "50" });
    expect((result.outputs as Array<{ name: string }>).map(({ name }) => name)).toEqual([
      "evidence-2024",
      "evidence-2025",
    ]);
    expect(result.readable).not.toContain("There are more");
  });

  it("azure-storage-container-blob-list reads the container's listing, entities decoded", async () => {
    const result = await harness.run("azure-storage-container-blob-list", {
      container_name: "evidence",
      prefix: "case 42/",
    });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      path: "/evidence",
      query: { restype: "container", comp: "list", prefix: "case 42/" },
    });
    expect(result.outputs).toEqual({
      name: "evidence",
      Blob: [
        {
          name: "case 42/notes & mail.txt",
          Property: {
            content_length: 5,
            content_type: "text/plain; charset=utf-8",
            last_modified: "Wed, 25 Nov 2026 10:00:00 GMT",
            blob_type: "BlockBlob",
          },
        },
      ],
    });
    expect(result.readable).toContain("|case 42/notes & mail.txt|5|text/plain; charset=utf-8|");
  });

  it("azure-storage-container-blob-get returns the content; a missing blob is the service's message", async () => {
    const result = await harness.run("azure-storage-container-blob-get", {
      container_name: "evidence",
      blob_name: "case 42/notes.txt",
    });
    expect(harness.lastCall().url.pathname).toBe("/evidence/case%2042/notes.txt");
    expect(result.outputs).toEqual({
      name: "evidence",
      Blob: { name: "case 42/notes.txt", content: "phish\nline 2", size: 12 },
    });
    expect(result.readable).toContain("phish\nline 2");
    await expect(
      harness.run("azure-storage-container-blob-get", { container_name: "evidence", blob_name: "gone.txt" }),
    ).rejects.toThrow(/BlobNotFound|does not exist/);
  });

  it("a listing limit outside 1-5000 is refused before any request", async () => {
    await expect(harness.run("azure-storage-container-list", { limit: "0" })).rejects.toThrow(
      "limit must be a whole number from 1 to 5000",
    );
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
