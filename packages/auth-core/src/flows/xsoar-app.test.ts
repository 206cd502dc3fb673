import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { IntegrationContext } from "../context.js";
import { AuthenticationError, MsintError, ParameterError } from "../errors.js";
import { getRedactor } from "../redact.js";
import { type FakeServer, type Reply, startFakeServer, testTransport } from "./fake-server.test-support.js";
import { contextToPersist } from "./strategy-failure.js";
import {
  createXsoarAppStrategy,
  DEFAULT_BROKER_URL,
  decryptBrokerToken,
  encryptBrokerToken,
  nextBrokerBackoff,
  parseBrokerId,
  parseBrokerKey,
  type XsoarAppContext,
} from "./xsoar-app.js";

const KEY = randomBytes(32).toString("base64");
const TENANT = "dummy_tenant-0000-1111";
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface BrokerRequest {
  app_name: string;
  registration_id: string;
  encrypted_token: string;
  scope: string | null;
  resource: string;
}

function bodyOf(index: number): BrokerRequest {
  return JSON.parse(server!.requests[index]!.body) as BrokerRequest;
}

function broker(reply: (body: BrokerRequest, plaintext: string) => Reply) {
  return startFakeServer((request) => {
    if (request.method !== "POST" || request.path !== "/obtain-token") return { status: 404, text: "no" };
    const body = JSON.parse(request.body) as BrokerRequest;
    return reply(body, decryptBrokerToken(body.encrypted_token, KEY).content);
  });
}

function strategyFor(
  url: string,
  clock: { now: number },
  extra: Partial<Parameters<typeof createXsoarAppStrategy>[0]> = {},
) {
  return createXsoarAppStrategy({
    authId: `registration-1@${url}/obtain-token`,
    token: TENANT,
    key: KEY,
    appName: "ms-graph-mail-listener",
    transport: testTransport(),
    commandPrefix: "msgraph-mail",
    now: () => clock.now,
    ...extra,
  });
}

describe("broker token encryption", () => {
  it("is base64(nonce ‖ AES-GCM('<epoch>:<token>') ‖ tag) for 16, 24 and 32-byte keys", () => {
    for (const bytes of [16, 24, 32]) {
      const key = randomBytes(bytes).toString("base64");
      const encrypted = encryptBrokerToken("tenant-x", key, 1_577_196_720_586);
      const raw = Buffer.from(encrypted, "base64");
      expect(raw.length).toBe(12 + "1577196720:tenant-x".length + 16);
      expect(decryptBrokerToken(encrypted, key)).toEqual({ content: "tenant-x", issuedAt: 1_577_196_720 });
      expect(encryptBrokerToken("tenant-x", key, 0)).not.toBe(encryptBrokerToken("tenant-x", key, 0));
    }
  });

  it("does not decrypt with another key", () => {
    const encrypted = encryptBrokerToken("t", KEY);
    expect(() => decryptBrokerToken(encrypted, randomBytes(32).toString("base64"))).toThrow(MsintError);
    expect(() => decryptBrokerToken("AAAA", KEY)).toThrow(MsintError);
  });

  it.each([
    ["not base64", "not base64!"],
    ["the wrong length", randomBytes(20).toString("base64")],
    ["empty", ""],
  ])("refuses a Key that is %s, naming Key", (_name, key) => {
    let error: unknown;
    try {
      parseBrokerKey(key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe("Key");
    expect((error as Error).message).toMatch(/^Key is (not a valid base64 AES key|empty)/);
  });

  it("accepts base64url and missing padding", () => {
    const bytes = randomBytes(16);
    expect(parseBrokerKey(bytes.toString("base64url"))).toEqual(bytes);
  });
});

describe("parseBrokerId", () => {
  it("splits <id>@<broker URL> and defaults the broker", () => {
    expect(parseBrokerId("abc")).toEqual({ registrationId: "abc", brokerUrl: DEFAULT_BROKER_URL });
    expect(parseBrokerId("abc@https://broker.example.com/obtain-token")).toEqual({
      registrationId: "abc",
      brokerUrl: "https://broker.example.com/obtain-token",
    });
    expect(parseBrokerId("abc@http://127.0.0.1:8480/obtain-token")).toEqual({
      registrationId: "abc",
      brokerUrl: "http://127.0.0.1:8480/obtain-token",
    });
    expect(() => parseBrokerId("  ")).toThrow(/^ID is empty/);
  });

  // Issue 11.5: an ID that is not exactly `ID` or `ID@https-URL` is refused naming ID, never sent to the
  // default broker (which would receive the customer's Token).
  it.each([
    ["two @", "abc@x@y", /^ID contains 2 '@' characters/],
    ["credentials in the URL", "abc@https://user:pass@broker.example.com/obtain-token", /'@' characters/],
    ["a user name in the URL", "abc@https://user@broker.example.com/", /'@' characters/],
    [
      "plain http to another host",
      "abc@http://broker.example.com/",
      /^ID: http:\/\/broker\.example\.com uses plain http/,
    ],
    ["no ID before @", "@https://broker.example.com/obtain-token", /^ID has no registration ID before '@'/],
    ["blank ID before @", "  @https://broker.example.com/", /^ID has no registration ID before '@'/],
    ["no URL after @", "abc@", /^ID ends with '@' but names no broker URL/],
    ["blank URL after @", "abc@   ", /^ID ends with '@' but names no broker URL/],
    ["not a URL", "abc@broker.example.com", /^ID: "broker\.example\.com" is not an absolute URL/],
    ["another scheme", "abc@ftp://broker.example.com/", /^ID: the scheme ftp: is not supported/],
    ["a query in the URL", "abc@https://broker.example.com/?x=1", /^ID must not contain a query/],
    ["a space inside the ID", "ab c@https://broker.example.com/", /^ID: the registration ID contains spaces/],
    ["a control character", "ab\u001b[2Jc", /^ID: the registration ID contains spaces or control characters/],
  ])("refuses %s", (_case, value, message) => {
    let thrown: unknown;
    try {
      parseBrokerId(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ParameterError);
    expect((thrown as ParameterError).message).toMatch(message);
    expect((thrown as ParameterError).parameter).toBe("ID");
  });

  it("refuses a malformed ID before any request is sent", async () => {
    server = await broker(() => ({ json: { access_token: "at-1", expires_in: 3600 } }));
    expect(() =>
      strategyFor(server!.url, { now: Date.now() }, { authId: `abc@${server!.url}@evil.example` }),
    ).toThrow(/^ID contains 2 '@'/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("createXsoarAppStrategy", () => {
  it("posts exactly { app_name, registration_id, encrypted_token, scope, resource } with '<epoch>:<tenant>'", async () => {
    server = await broker(() => ({ json: { access_token: "at-1", expires_in: 3600 } }));
    const clock = { now: 1_700_000_000_123 };
    const strategy = strategyFor(server.url, clock);
    const { token, context } = await strategy.fetchToken(["https://graph.microsoft.com/.default"], undefined);
    expect(token).toMatchObject({ accessToken: "at-1", expiresInSeconds: 3600 });
    const request = server.requests[0]!;
    expect(request.headers["content-type"]).toBe("application/json");
    const body = bodyOf(0);
    expect(Object.keys(body)).toEqual([
      "app_name",
      "registration_id",
      "encrypted_token",
      "scope",
      "resource",
    ]);
    expect(body).toMatchObject({
      app_name: "ms-graph-mail-listener",
      registration_id: "registration-1",
      scope: null,
      resource: "",
    });
    expect(decryptBrokerToken(body.encrypted_token, KEY)).toEqual({
      content: TENANT,
      issuedAt: 1_700_000_000,
    });
    expect(context).toEqual({});
  });

  it("sends the configured scope and resource and reads expires_in given as a string", async () => {
    server = await broker(() => ({ json: { access_token: "at", expires_in: "3599" } }));
    const strategy = strategyFor(
      server.url,
      { now: Date.now() },
      {
        scope: "graph",
        resource: "https://api.security.microsoft.com",
      },
    );
    const { token } = await strategy.fetchToken([], undefined);
    expect(token.expiresInSeconds).toBe(3599);
    expect(bodyOf(0)).toMatchObject({ scope: "graph", resource: "https://api.security.microsoft.com" });
  });

  it("stores a returned refresh token and sends it next time (rotation)", async () => {
    let n = 0;
    server = await broker(() => {
      n++;
      return { json: { access_token: `at-${n}`, expires_in: 3600, refresh_token: `rt-${n}` } };
    });
    const strategy = strategyFor(server.url, { now: Date.now() });
    const first = await strategy.fetchToken([], undefined);
    const second = await strategy.fetchToken([], first.context);
    const third = await strategy.fetchToken([], second.context);
    const plaintexts = [0, 1, 2].map((i) => decryptBrokerToken(bodyOf(i).encrypted_token, KEY).content);
    expect(plaintexts).toEqual([TENANT, "rt-1", "rt-2"]);
    expect(third.context?.refreshToken).toBe("rt-3");
    expect(getRedactor().redact("rt-2 is secret")).not.toContain("rt-2");
  });

  it("continues from a refresh token obtained by device code (the 'device' variant)", async () => {
    server = await broker((_body, plaintext) => ({
      json: { access_token: `for ${plaintext}`, refresh_token: "rt-next" },
    }));
    const strategy = strategyFor(server.url, { now: Date.now() });
    const { token, context } = await strategy.fetchToken([], { refreshToken: "rt-from-device-code" });
    expect(token.accessToken).toBe("for rt-from-device-code");
    expect(context?.refreshToken).toBe("rt-next");
  });

  it("does not send a refresh token obtained with a previous Token parameter", async () => {
    server = await broker((_body, plaintext) => ({ json: { access_token: `for ${plaintext}` } }));
    const strategy = strategyFor(server.url, { now: Date.now() }, { token: "new-token-from-broker-page" });
    const context: XsoarAppContext = { refreshToken: "rt-old", brokerTokenHash: "0".repeat(64) };
    const result = await strategy.fetchToken([], context);
    expect(result.token.accessToken).toBe("for new-token-from-broker-page");
    expect(result.context?.refreshToken).toBeUndefined();
  });

  it("arms a backoff of 2, 4, 8, 16, 32, 64, 64 s persisted with each failure, and clears it on success", async () => {
    server = await broker(() => ({ status: 400, json: { error: "bad_request", message: "Bad Request" } }));
    const clock = { now: 0 };
    const strategy = strategyFor(server.url, clock);
    let context: IntegrationContext | undefined;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const error = await strategy.fetchToken([], context).catch((e) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      context = contextToPersist(error);
      expect(context?.backoff).toBeDefined();
      delays.push((context!.backoff!.nextRequestAt - clock.now) / 1000);
      clock.now = context!.backoff!.nextRequestAt;
    }
    expect(delays).toEqual([2, 4, 8, 16, 32, 64, 64]);
    expect(server.requests).toHaveLength(7);

    server.handle(() => ({ json: { access_token: "at-ok", expires_in: 3600 } }));
    const ok = await strategy.fetchToken([], context);
    expect(ok.context?.backoff).toBeUndefined();
  });

  it("refuses at once inside the backoff window, without a request", async () => {
    server = await broker(() => ({ json: { access_token: "never" } }));
    const clock = { now: Date.UTC(2026, 0, 1, 12, 0, 0) };
    const strategy = strategyFor(server.url, clock);
    const backoff = { nextRequestAt: clock.now + 8000, counter: 4 };
    const error = await strategy.fetchToken([], { backoff }).catch((e) => e);
    expect(error).toBeInstanceOf(MsintError);
    expect(error.message).toBe(
      "The Cortex XSOAR application broker is backing off after a failure: next attempt after 2026-01-01T12:00:08.000Z.",
    );
    expect(contextToPersist(error)).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it("arms the backoff when the broker cannot be reached", async () => {
    const strategy = strategyFor("http://127.0.0.1:9", { now: 1000 });
    const error = await strategy
      .fetchToken([], { backoff: { nextRequestAt: 0, counter: 3 } })
      .catch((e) => e);
    expect(contextToPersist(error)?.backoff).toEqual({ nextRequestAt: 1000 + 8000, counter: 4 });
  });

  it("explains broker errors without secrets, and a broker that does not answer JSON", async () => {
    server = await broker(() => ({
      status: 401,
      text: `Error: failed to get access token with err: {"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2023-02-06.\\r\\nTrace ID: test\\r\\nCorrelation ID: test","error_codes":[700082]} ${TENANT}`,
    }));
    const strategy = strategyFor(server.url, { now: Date.now() });
    const error = await strategy.fetchToken([], undefined).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(
      /^The Cortex XSOAR application broker refused to issue a token \(HTTP 401\): AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on 2023-02-06\.\n/,
    );
    expect(error.message).toContain("run !msgraph-mail-auth-reset, get a new ID, Token and Key");
    expect(error.message).not.toContain("Trace ID");
    expect(error.aadsts).toEqual([700082]);

    server.handle(() => ({ status: 200, text: "<html>captive portal</html>" }));
    const notJson = await strategy.fetchToken([], undefined).catch((e) => e);
    expect(notJson.message).toMatch(/^The broker did not answer with a token \(HTTP 200: captive portal\)/);
    expect(contextToPersist(notJson)?.backoff).toBeDefined();
  });

  it("validates ID and Key when created", () => {
    const base = {
      authId: "id",
      token: TENANT,
      key: KEY,
      appName: "app",
      transport: testTransport(),
    };
    expect(() => createXsoarAppStrategy({ ...base, key: "abc" })).toThrow(
      /^Key is not a valid base64 AES key/,
    );
    expect(() => createXsoarAppStrategy({ ...base, authId: "" })).toThrow(/^ID is empty/);
  });

  it("has a fingerprint that follows ID, Token and Key and registers them for redaction", () => {
    const fp = (overrides: Partial<Parameters<typeof createXsoarAppStrategy>[0]>) =>
      createXsoarAppStrategy({
        authId: "id",
        token: TENANT,
        key: KEY,
        appName: "app",
        transport: testTransport(),
        ...overrides,
      }).fingerprint;
    const base = fp({});
    expect(fp({ authId: "id2" })).not.toBe(base);
    expect(fp({ token: "other-token" })).not.toBe(base);
    expect(fp({ key: randomBytes(32).toString("base64") })).not.toBe(base);
    expect(fp({ resource: "https://x" })).not.toBe(base);
    expect(getRedactor().redact(`${KEY} ${TENANT}`)).not.toMatch(new RegExp(`${TENANT}`));
  });

  it("computes the backoff from the stored counter", () => {
    expect(nextBrokerBackoff(undefined, 0)).toEqual({ nextRequestAt: 2000, counter: 2 });
    expect(nextBrokerBackoff({ nextRequestAt: 0, counter: 5 }, 0)).toEqual({
      nextRequestAt: 32_000,
      counter: 6,
    });
    expect(nextBrokerBackoff({ nextRequestAt: 0, counter: 7 }, 0)).toEqual({
      nextRequestAt: 64_000,
      counter: 6,
    });
  });
});
