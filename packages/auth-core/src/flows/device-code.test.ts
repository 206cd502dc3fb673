import { afterEach, describe, expect, it } from "vitest";
import { AuthenticationError, MsintError } from "../errors.js";
import { getRedactor } from "../redact.js";
import {
  createDeviceCodeStrategy,
  type DeviceCodeContext,
  type PendingDeviceCode,
  startDeviceCode,
  toPendingDeviceCode,
} from "./device-code.js";
import {
  entraError,
  type FakeServer,
  type Reply,
  startFakeServer,
  testTransport,
  tokenReply,
} from "./fake-server.test-support.js";
import { contextToPersist, isStrategyFailure } from "./strategy-failure.js";

const SCOPES = ["https://security.microsoft.com/mtp/.default"];
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DEVICE_CODE_RESPONSE = {
  user_code: "ABCD-EFGH",
  device_code: "DAQABAAEAAAD--device-code-secret",
  verification_uri: "https://microsoft.com/devicelogin",
  expires_in: 900,
  interval: 5,
  message:
    "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.",
};

function pending(overrides: Partial<PendingDeviceCode> = {}): PendingDeviceCode {
  return {
    deviceCode: "device-code-1",
    expiresAt: Date.now() + 900_000,
    interval: 5,
    verificationUri: "https://microsoft.com/devicelogin",
    userCode: "ABCD-EFGH",
    ...overrides,
  };
}

/** Answers the token endpoint from a script: one reply per request, the last one repeated. */
function scripted(replies: Reply[]): (request: unknown) => Reply {
  let index = 0;
  return () => replies[Math.min(index++, replies.length - 1)]!;
}

const pendingReply = () =>
  entraError(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending.");

describe("startDeviceCode", () => {
  it("posts client_id and the scopes plus offline_access to the organizations devicecode endpoint", async () => {
    server = await startFakeServer(() => ({ json: DEVICE_CODE_RESPONSE }));
    const started = await startDeviceCode({
      loginHost: server.url,
      clientId: "client-1",
      scopes: SCOPES,
      transport: testTransport(),
      now: 1_000_000,
    });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(`${request.method} ${request.path}`).toBe("POST /organizations/oauth2/v2.0/devicecode");
    expect([...request.form]).toEqual([
      ["client_id", "client-1"],
      ["scope", `${SCOPES[0]} offline_access`],
    ]);
    expect(started).toEqual({
      deviceCode: DEVICE_CODE_RESPONSE.device_code,
      userCode: "ABCD-EFGH",
      verificationUri: "https://microsoft.com/devicelogin",
      expiresAt: 1_000_000 + 900_000,
      interval: 5,
      message: DEVICE_CODE_RESPONSE.message,
      scopes: [SCOPES[0], "offline_access"],
    });
    expect(toPendingDeviceCode(started)).toEqual({
      deviceCode: DEVICE_CODE_RESPONSE.device_code,
      expiresAt: 1_900_000,
      interval: 5,
      verificationUri: "https://microsoft.com/devicelogin",
      userCode: "ABCD-EFGH",
      scopes: [SCOPES[0], "offline_access"],
    });
    expect(getRedactor().redact(DEVICE_CODE_RESPONSE.device_code)).not.toContain("device-code-secret");
  });

  it("uses the given tenant and translates errors", async () => {
    server = await startFakeServer(() =>
      entraError(
        400,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ),
    );
    const error = await startDeviceCode({
      loginHost: server.url,
      tenantId: "tenant-1",
      clientId: "client-1",
      scopes: SCOPES,
      transport: testTransport(),
    }).catch((e) => e);
    expect(server.requests[0]!.path).toBe("/tenant-1/oauth2/v2.0/devicecode");
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^AADSTS7000218: /);
  });
});

describe("createDeviceCodeStrategy", () => {
  it("redeems the device code with the RFC 8628 form (public client), stores the refresh token and clears the code", async () => {
    server = await startFakeServer(() => tokenReply({ access_token: "at-1", refresh_token: "rt-1" }));
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
    });
    const context: DeviceCodeContext = { deviceCode: pending(), tokens: {} };
    const result = await strategy.fetchToken(SCOPES, context);
    expect(result.token).toMatchObject({ accessToken: "at-1", refreshToken: "rt-1" });
    const request = server.requests[0]!;
    expect(request.path).toBe("/organizations/oauth2/v2.0/token");
    expect([...request.form]).toEqual([
      ["grant_type", "urn:ietf:params:oauth:grant-type:device_code"],
      ["client_id", "client-1"],
      ["device_code", "device-code-1"],
    ]);
    expect(result.context).toEqual({ tokens: {}, refreshToken: "rt-1" });
    // The input is not mutated: the provider decides what to write.
    expect(context.deviceCode).toBeDefined();
  });

  it("refreshes without a secret and rotates the refresh token", async () => {
    let n = 0;
    server = await startFakeServer(() => {
      n++;
      return tokenReply({ access_token: `at-${n}`, refresh_token: `rt-${n + 1}` });
    });
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      tenantId: "tenant-1",
      clientId: "client-1",
      transport: testTransport(),
    });
    const first = await strategy.fetchToken(SCOPES, { refreshToken: "rt-1" });
    const second = await strategy.fetchToken(SCOPES, first.context);
    expect(server.requests.map((r) => [...r.form])).toEqual([
      [
        ["client_id", "client-1"],
        ["grant_type", "refresh_token"],
        ["refresh_token", "rt-1"],
        ["scope", `${SCOPES[0]} offline_access`],
      ],
      [
        ["client_id", "client-1"],
        ["grant_type", "refresh_token"],
        ["refresh_token", "rt-2"],
        ["scope", `${SCOPES[0]} offline_access`],
      ],
    ]);
    expect(server.requests[0]!.path).toBe("/tenant-1/oauth2/v2.0/token");
    expect(second.context?.refreshToken).toBe("rt-3");
  });

  it("keeps the device code while the sign-in is pending, and says what to do", async () => {
    server = await startFakeServer(pendingReply);
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "microsoft-365-defender",
    });
    const error = await strategy.fetchToken(SCOPES, { deviceCode: pending() }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      "The sign-in is not finished yet: open https://microsoft.com/devicelogin, enter the code ABCD-EFGH, then run !microsoft-365-defender-auth-complete again.",
    );
    expect(isStrategyFailure(error)).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [
      "expired_token",
      70019,
      "The code expired: nobody completed the sign-in at https://microsoft.com/devicelogin with the code ABCD-EFGH while it was valid. Run !p-auth-start again for a new code.",
    ],
    [
      "authorization_declined",
      70000,
      "The sign-in was declined at the verification page: run !p-auth-start again",
    ],
    ["bad_verification_code", 70018, "The stored device code is not valid: run !p-auth-start again."],
  ])("clears the device code on %s and says to start again", async (error, code, expected) => {
    server = await startFakeServer(() => entraError(400, error, code, "Device flow error."));
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "p",
    });
    const caught = await strategy
      .fetchToken(SCOPES, { deviceCode: pending(), credentialFingerprint: "x" })
      .catch((e) => e);
    expect(caught).toBeInstanceOf(AuthenticationError);
    expect(caught.message.startsWith(expected)).toBe(true);
    expect(caught.message).toContain("Microsoft Entra ID said: Device flow error.");
    expect(contextToPersist(caught)).toEqual({ credentialFingerprint: "x" });
    // The context to persist is not serialised with the error (it may hold tokens).
    expect(JSON.stringify(caught)).not.toContain("credentialFingerprint");
  });

  it("does not poll a code that has expired locally", async () => {
    server = await startFakeServer(pendingReply);
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "p",
    });
    const error = await strategy
      .fetchToken(SCOPES, { deviceCode: pending({ expiresAt: Date.now() - 1 }) })
      .catch((e) => e);
    expect(error.message).toBe(
      "The code expired: nobody completed the sign-in at https://microsoft.com/devicelogin with the code ABCD-EFGH while it was valid. Run !p-auth-start again for a new code.",
    );
    expect(contextToPersist(error)).toEqual({});
    expect(server.requests).toHaveLength(0);
  });

  it("asks to run auth-start first when there is nothing to redeem", async () => {
    const strategy = createDeviceCodeStrategy({
      loginHost: "https://login.microsoftonline.com",
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "p",
    });
    const error = await strategy.fetchToken(SCOPES, undefined).catch((e) => e);
    expect(error).toBeInstanceOf(MsintError);
    expect(error.message).toMatch(/^No sign-in has been started: run !p-auth-start first/);
  });

  it("with wait, polls honouring interval and slow_down until the token comes", async () => {
    server = await startFakeServer(
      scripted([
        pendingReply(),
        entraError(400, "slow_down", 70016, "Slow down."),
        pendingReply(),
        tokenReply({ access_token: "at-1", refresh_token: "rt-1" }),
      ]),
    );
    let clock = 1_000_000;
    const sleeps: number[] = [];
    const progress: number[] = [];
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      wait: {
        now: () => clock,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        onProgress: (left) => progress.push(left),
      },
    });
    const result = await strategy.fetchToken(SCOPES, { deviceCode: pending({ expiresAt: clock + 900_000 }) });
    expect(result.token.accessToken).toBe("at-1");
    expect(sleeps).toEqual([5000, 10_000, 10_000]);
    expect(progress).toEqual([900, 895, 885]);
    expect(server.requests).toHaveLength(4);
    expect(result.context?.deviceCode).toBeUndefined();
    expect(result.context?.refreshToken).toBe("rt-1");
  });

  it("with wait, gives up after maxWaitMs keeping the code, and at expiry clearing it", async () => {
    server = await startFakeServer(pendingReply);
    let clock = 0;
    const wait = {
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "p",
      wait: { ...wait, maxWaitMs: 12_000 },
    });
    const error = await strategy
      .fetchToken(SCOPES, { deviceCode: pending({ expiresAt: 900_000 }) })
      .catch((e) => e);
    expect(error.message).toMatch(/^The sign-in is not finished yet/);
    expect(isStrategyFailure(error)).toBe(false);
    expect(server.requests).toHaveLength(3);

    clock = 0;
    const untilExpiry = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "client-1",
      transport: testTransport(),
      commandPrefix: "p",
      wait,
    });
    const expired = await untilExpiry
      .fetchToken(SCOPES, { deviceCode: pending({ expiresAt: 30_000 }) })
      .catch((e) => e);
    expect(expired.message).toBe(
      "The code expired: nobody completed the sign-in at https://microsoft.com/devicelogin with the code ABCD-EFGH while it was valid. Run !p-auth-start again for a new code.",
    );
    expect(contextToPersist(expired)).toEqual({});
  });

  it("gets a token for other scopes with the new refresh token, keeping it if that fails", async () => {
    server = await startFakeServer(
      scripted([
        tokenReply({ access_token: "at-graph", refresh_token: "rt-1" }),
        tokenReply({ access_token: "at-arm", refresh_token: "rt-2" }),
      ]),
    );
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "c",
      transport: testTransport(),
    });
    const result = await strategy.fetchToken(["https://management.azure.com/.default"], {
      deviceCode: pending({ scopes: ["https://graph.microsoft.com/.default", "offline_access"] }),
    });
    expect(result.token.accessToken).toBe("at-arm");
    expect(result.context?.refreshToken).toBe("rt-2");
    expect(server.requests[1]!.form.get("refresh_token")).toBe("rt-1");

    server.handle(
      scripted([
        tokenReply({ access_token: "at-graph", refresh_token: "rt-1" }),
        entraError(400, "invalid_scope", 70011, "The provided value for scope is not valid."),
      ]),
    );
    const error = await strategy
      .fetchToken(["https://management.azure.com/.default"], {
        deviceCode: pending({ scopes: ["https://graph.microsoft.com/.default"] }),
      })
      .catch((e) => e);
    expect(error.message).toMatch(/^AADSTS70011/);
    expect(contextToPersist(error)).toEqual({ refreshToken: "rt-1" });
  });

  it("tells to sign in again when the refresh token expired", async () => {
    server = await startFakeServer(() =>
      entraError(400, "invalid_grant", 700082, "The refresh token has expired due to inactivity."),
    );
    const strategy = createDeviceCodeStrategy({
      loginHost: server.url,
      clientId: "c",
      transport: testTransport(),
      commandPrefix: "p",
    });
    const error = await strategy.fetchToken(SCOPES, { refreshToken: "rt" }).catch((e) => e);
    expect(error.message).toMatch(/^AADSTS700082: The refresh token has expired due to inactivity\./);
    expect(error.message).toContain("run !p-auth-reset, then !p-auth-start and !p-auth-complete");
  });

  it("has a fingerprint per cloud, tenant and client", () => {
    const make = (tenantId: string, clientId: string) =>
      createDeviceCodeStrategy({
        loginHost: "https://login.microsoftonline.com",
        tenantId,
        clientId,
        transport: testTransport(),
      }).fingerprint;
    expect(make("", "c")).toBe(make("organizations", "c"));
    expect(make("t", "c")).not.toBe(make("organizations", "c"));
    expect(make("t", "c")).not.toBe(make("t", "d"));
  });
});
