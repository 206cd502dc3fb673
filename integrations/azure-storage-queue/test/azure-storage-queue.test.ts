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
  if (call.method === "GET" || call.method === "POST") return readService(call);
  if (call.method === "PUT") return { status: call.query["comp"] ? 204 : 201 };
  if (call.method === "DELETE") return { status: 204 };
  return { status: 404 };
}

const XML = { "content-type": "application/xml" };
const MESSAGE = (text: string, receipt: boolean) =>
  `<QueueMessage><MessageId>5974b586-0df3-4e2d-ad0c-18e3892bfca2</MessageId><InsertionTime>Wed, 25 Nov 2026 10:00:00 GMT</InsertionTime><ExpirationTime>Wed, 02 Dec 2026 10:00:00 GMT</ExpirationTime>${receipt ? "<PopReceipt>YzQ4Yzg1MDIGM0MDFiZDAwMDA=</PopReceipt><TimeNextVisible>Wed, 25 Nov 2026 10:00:30 GMT</TimeNextVisible>" : ""}<DequeueCount>1</DequeueCount>${text === "" ? "" : `<MessageText>${text}</MessageText>`}</QueueMessage>`;

/** The Queue service's listings and message reads, as it answers them. */
function readService(call: ApiCall): FakeResponse {
  if (call.path === "/" && call.query["comp"] === "list") {
    return {
      status: 200,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://socstorage.queue.core.windows.net/"><Prefix>${call.query["prefix"] ?? ""}</Prefix><MaxResults>${call.query["maxresults"]}</MaxResults><Queues><Queue><Name>alerts</Name></Queue><Queue><Name>alerts-poison</Name></Queue></Queues><NextMarker /></EnumerationResults>`,
    };
  }
  if (call.path === "/alerts/messages" && call.method === "POST") {
    return {
      status: 201,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><QueueMessagesList>${MESSAGE("", true)}</QueueMessagesList>`,
    };
  }
  if (call.path === "/alerts/messages") {
    const peek = call.query["peekonly"] === "true";
    return {
      status: 200,
      headers: XML,
      body: `<?xml version="1.0" encoding="utf-8"?><QueueMessagesList>${MESSAGE("incident 42 &amp; co", !peek)}</QueueMessagesList>`,
    };
  }
  return {
    status: 404,
    headers: XML,
    body: '<?xml version="1.0"?><Error><Code>QueueNotFound</Code><Message>The specified queue does not exist.</Message></Error>',
  };
}

const harness = fakeServiceHarness(integration, {
  params: { account_name: "socstorage", sas_token: SAS },
  handle: queueService,
});
beforeEach(() => harness.clear());

describe("Azure Storage Queue manifest", () => {
  it("authenticates with the account SAS token and sends x-ms-version", () => {
    expect(integration.manifest).toMatchObject({
      commandPrefix: "azure-storage-queue",
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

describe("listings and messages (XML)", () => {
  it("azure-storage-queue-list lists the queues", async () => {
    const result = await harness.run("azure-storage-queue-list", { prefix: "alerts" });
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "socstorage.queue.core.windows.net",
      path: "/",
      query: { comp: "list", prefix: "alerts", maxresults: "50" },
    });
    expect(result.outputs).toEqual([{ name: "alerts" }, { name: "alerts-poison" }]);
    expect(result.readable).toContain("|alerts-poison|");
  });

  it("azure-storage-queue-message-create POSTs the text as XML, escaped, or base64-encoded", async () => {
    const result = await harness.run("azure-storage-queue-message-create", {
      queue_name: "alerts",
      message_content: "<b>phish</b> & co",
      visibility_time_out: "10",
    });
    const call = harness.lastCall();
    expect(call).toMatchObject({
      method: "POST",
      path: "/alerts/messages",
      query: { visibilitytimeout: "10" },
    });
    expect(call.headers["content-type"]).toBe("application/xml; charset=utf-8");
    expect(call.body).toBe(
      "<QueueMessage><MessageText>&lt;b&gt;phish&lt;/b&gt; &amp; co</MessageText></QueueMessage>",
    );
    expect(result.outputs).toMatchObject({
      name: "alerts",
      Message: [{ MessageId: "5974b586-0df3-4e2d-ad0c-18e3892bfca2", MessageText: "<b>phish</b> & co" }],
    });

    await harness.run("azure-storage-queue-message-create", {
      queue_name: "alerts",
      message_content: "héllo",
      base64_encoding: "True",
    });
    expect(harness.lastCall().body).toBe("<QueueMessage><MessageText>aMOpbGxv</MessageText></QueueMessage>");
    expect(harness.lastCall().query["visibilitytimeout"]).toBeUndefined();
  });

  it("azure-storage-queue-message-peek leaves the messages visible; -get hides them and returns pop receipts", async () => {
    const peeked = await harness.run("azure-storage-queue-message-peek", {
      queue_name: "alerts",
      limit: "5",
    });
    expect(harness.lastCall().query).toMatchObject({ peekonly: "true", numofmessages: "5" });
    expect(peeked.outputs).toEqual({
      name: "alerts",
      Message: [
        {
          MessageId: "5974b586-0df3-4e2d-ad0c-18e3892bfca2",
          InsertionTime: "Wed, 25 Nov 2026 10:00:00 GMT",
          ExpirationTime: "Wed, 02 Dec 2026 10:00:00 GMT",
          DequeueCount: 1,
          MessageText: "incident 42 & co",
          PopReceipt: undefined,
          TimeNextVisible: undefined,
        },
      ],
    });
    expect(peeked.readable).toContain("|5974b586-0df3-4e2d-ad0c-18e3892bfca2|incident 42 & co|");

    const got = await harness.run("azure-storage-queue-message-get", {
      queue_name: "alerts",
      visibility_time_out: "60",
    });
    expect(harness.lastCall().query).toMatchObject({ numofmessages: "1", visibilitytimeout: "60" });
    expect(harness.lastCall().query["peekonly"]).toBeUndefined();
    expect(got.outputs).toMatchObject({ Message: [{ PopReceipt: "YzQ4Yzg1MDIGM0MDFiZDAwMDA=" }] });
  });

  it("refuses limit and visibility_time_out out of range, before any request", async () => {
    await expect(
      harness.run("azure-storage-queue-message-get", { queue_name: "alerts", limit: "33" }),
    ).rejects.toThrow("limit must be a whole number from 1 to 32");
    await expect(
      harness.run("azure-storage-queue-message-get", { queue_name: "alerts", visibility_time_out: "0" }),
    ).rejects.toThrow("visibility_time_out must be a whole number of seconds from 1 to 604800");
    await expect(
      harness.run("azure-storage-queue-message-create", {
        queue_name: "alerts",
        message_content: "x".repeat(70_000),
      }),
    ).rejects.toThrow("at most 64 KiB");
    expect(harness.calls).toHaveLength(0);
    await expect(harness.run("azure-storage-queue-message-peek", { queue_name: "nope" })).rejects.toThrow(
      /QueueNotFound|does not exist/,
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
