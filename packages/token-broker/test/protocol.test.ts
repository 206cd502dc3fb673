import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptBrokerToken } from "@msint/auth-core/internal";
import {
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningBroker, startBroker } from "../src/index.js";
import { type Replicas, startReplicas } from "./replicas.js";
import { brokerSeed, filesContaining, protocolMode, readTree, VENDOR_SECRET } from "./support.js";

const MEGAN_ID = "08fa38e4-cbfa-4488-94ed-c834da6539df";
const MASTER_KEY = randomBytes(32).toString("base64");

let emulator: RunningEmulator;
let broker: RunningBroker;
let dataDir: string;
/** Set when the suite runs on replicas (protocol-replicas.test.ts). */
let replicas: Replicas | undefined;
const logs: string[] = [];
/** Every secret the tests handle: none may reach the logs or the database. */
const secrets = new Set<string>([VENDOR_SECRET]);

function config() {
  return {
    loginHost: emulator.url,
    apps: {
      "ms-graph-user": {
        displayName: "Microsoft Graph User",
        clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
        clientSecret: "env:VENDOR_SECRET",
        permissions: "application" as const,
      },
      "ms-graph-mail-listener": {
        displayName: "O365 Outlook Mail (Using Graph API)",
        clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
        clientSecret: "env:VENDOR_SECRET",
        permissions: "delegated" as const,
        scopes: ["https://graph.microsoft.com/User.Read.All"],
      },
      "microsoft-defender-atp": {
        clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
        clientSecret: "env:VENDOR_SECRET",
        permissions: "application" as const,
        rateLimitPerMinute: 3,
      },
    },
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: brokerSeed(), refreshTokenReuse: "reject" });
  dataDir = await mkdtemp(join(tmpdir(), "msint-broker-test-"));
  const options = {
    config: config(),
    env: { VENDOR_SECRET, MSINT_BROKER_MASTER_KEY: MASTER_KEY },
    log: (line: string) => logs.push(line),
  };
  if (protocolMode.replicas > 1) {
    replicas = await startReplicas(options, protocolMode.replicas);
    broker = replicas.broker;
  } else broker = await startBroker({ ...options, dataDir });
}, 120_000);

afterAll(async () => {
  await broker?.close();
  await replicas?.stop();
  await emulator?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.faults.clear();
});

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

async function obtain(body: Record<string, unknown> | string): Promise<Answer> {
  const response = await fetch(broker.obtainTokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  for (const key of ["access_token", "refresh_token"]) {
    if (typeof json[key] === "string") secrets.add(json[key] as string);
  }
  return { status: response.status, json, headers: response.headers };
}

/** A registration through the library entry point, remembered as secret. */
async function register(appName: string, token: string) {
  const created = await broker.register(appName, token);
  secrets.add(created.key);
  secrets.add(created.token);
  return created;
}

function request(
  registration: { registrationId: string; key: string },
  content: string,
  extra: Record<string, unknown> = {},
) {
  const encrypted = encryptBrokerToken(content, registration.key);
  secrets.add(encrypted);
  return {
    app_name: "ms-graph-user",
    registration_id: registration.registrationId,
    encrypted_token: encrypted,
    scope: null,
    resource: "",
    ...extra,
  };
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

describe("POST /obtain-token, application permissions", () => {
  it("issues an app token for the registration's tenant, usable on Graph", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    expect(registration.id).toBe(`${registration.registrationId}@${broker.publicUrl}/obtain-token`);
    const answer = await obtain(request(registration, DEMO_TENANT_ID, { resource: emulator.url }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(answer.json).sort()).toEqual(["access_token", "expires_in"]);
    expect(typeof answer.json["expires_in"]).toBe("number");
    const token = claims(answer.json["access_token"] as string);
    expect(token["tid"]).toBe(DEMO_TENANT_ID);
    expect(token["appid"]).toBe(DEMO_BROKER_VENDOR_CLIENT_ID);
    expect(token["aud"]).toBe(emulator.url);
    const graph = await fetch(`${emulator.url}/v1.0/users?$top=1`, {
      headers: { Authorization: `Bearer ${answer.json["access_token"]}` },
    });
    expect(graph.status).toBe(200);
    const sent = emulator.tokenRequests().at(-1)!;
    expect(sent.grantType).toBe("client_credentials");
    expect(sent.scope).toBe(`${emulator.url}/.default`);
  });

  it('maps the short scope "graph" and a null scope to the right .default scope', async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const short = await obtain(request(registration, DEMO_TENANT_ID, { scope: "graph" }));
    expect(short.status).toBe(200);
    expect(claims(short.json["access_token"] as string)["aud"]).toBe("https://graph.microsoft.com");
    const byDefault = await obtain(request(registration, DEMO_TENANT_ID));
    expect(byDefault.status).toBe(200);
    expect(emulator.tokenRequests().at(-1)!.scope).toBe("https://graph.microsoft.com/.default");
  });

  it("wrong key → 401 decryption_failed", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const other = { ...registration, key: randomBytes(32).toString("base64") };
    const answer = await obtain(request(other, DEMO_TENANT_ID));
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      error: "decryption_failed",
      message:
        "The encrypted token cannot be decrypted with this registration's key: check Key, or the data was altered on the way.",
    });
  });

  it("tampered ciphertext → 401 decryption_failed", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const body = request(registration, DEMO_TENANT_ID);
    const bytes = Buffer.from(body.encrypted_token, "base64");
    bytes[14] = bytes[14]! ^ 0x01;
    const answer = await obtain({ ...body, encrypted_token: bytes.toString("base64") });
    expect(answer.status).toBe(401);
    expect(answer.json["error"]).toBe("decryption_failed");
  });

  it("stale or future timestamp → 401 stale_token naming both clocks", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const encrypted = encryptBrokerToken(DEMO_TENANT_ID, registration.key, Date.now() + offset);
      const answer = await obtain({ ...request(registration, DEMO_TENANT_ID), encrypted_token: encrypted });
      expect(answer.status).toBe(401);
      expect(answer.json["error"]).toBe("stale_token");
      expect(answer.json["message"]).toContain("more than 5 minutes from the broker's clock");
    }
    // Inside the window (4 minutes off) is accepted.
    const near = encryptBrokerToken(DEMO_TENANT_ID, registration.key, Date.now() - 4 * 60_000);
    expect((await obtain({ ...request(registration, DEMO_TENANT_ID), encrypted_token: near })).status).toBe(
      200,
    );
  });

  it("replayed encrypted token → 401 replayed_token", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const body = request(registration, DEMO_TENANT_ID);
    expect((await obtain(body)).status).toBe(200);
    const replay = await obtain(body);
    expect(replay.status).toBe(401);
    expect(replay.json).toEqual({
      error: "replayed_token",
      message: "This encrypted token was already used: every request must be encrypted anew.",
    });
  });

  it("unknown registration → 404 unknown_registration", async () => {
    const registration = { registrationId: randomUUID(), key: randomBytes(32).toString("base64") };
    const answer = await obtain(request(registration, DEMO_TENANT_ID));
    expect(answer.status).toBe(404);
    expect(answer.json["error"]).toBe("unknown_registration");
    const notUuid = await obtain(request({ ...registration, registrationId: "not-a-uuid" }, DEMO_TENANT_ID));
    expect(notUuid.status).toBe(404);
  });

  it("another app's name → 400 app_mismatch", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const answer = await obtain(
      request(registration, DEMO_TENANT_ID, { app_name: "ms-graph-mail-listener" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.json["error"]).toBe("app_mismatch");
  });

  it("a Token that is not the registration's → 401 invalid_token", async () => {
    const registration = await register("ms-graph-user", DEMO_TENANT_ID);
    const answer = await obtain(request(registration, randomUUID()));
    expect(answer.status).toBe(401);
    expect(answer.json["error"]).toBe("invalid_token");
    expect(
      emulator.tokenRequests().filter((entry) => entry.grantType === "client_credentials"),
    ).not.toHaveLength(0);
  });

  it("Entra refusal → 502 with the AADSTS code and cleaned description", async () => {
    const unknownTenant = randomUUID();
    const registration = await register("ms-graph-user", unknownTenant);
    const answer = await obtain(request(registration, unknownTenant));
    expect(answer.status).toBe(502);
    expect(answer.json["error"]).toBe("invalid_request");
    expect(answer.json["error_codes"]).toEqual([90002]);
    expect(answer.json["message"]).toMatch(/^AADSTS90002: Tenant '[^']+' not found\./);
    expect(answer.json["message"]).not.toMatch(/Trace ID|Correlation ID|Timestamp/);
  });

  it("per-registration rate limit → 429 with Retry-After", async () => {
    const registration = await register("microsoft-defender-atp", DEMO_TENANT_ID);
    const body = () => request(registration, DEMO_TENANT_ID, { app_name: "microsoft-defender-atp" });
    for (let i = 0; i < 3; i++) expect((await obtain(body())).status).toBe(200);
    const limited = await obtain(body());
    expect(limited.status).toBe(429);
    expect(limited.json["error"]).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Other registrations are not affected.
    const other = await register("microsoft-defender-atp", DEMO_TENANT_ID);
    const otherBody = request(other, DEMO_TENANT_ID, { app_name: "microsoft-defender-atp" });
    expect((await obtain(otherBody)).status).toBe(200);
  });

  it("malformed requests → 400 invalid_request; other methods → 405", async () => {
    const notJson = await obtain("not json");
    expect(notJson.status).toBe(400);
    expect(notJson.json["error"]).toBe("invalid_request");
    const missing = await obtain({ app_name: "ms-graph-user" });
    expect(missing.status).toBe(400);
    expect(missing.json["message"]).toBe("The field registration_id is missing or not a string.");
    const get = await fetch(broker.obtainTokenUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

describe("POST /obtain-token, delegated permissions", () => {
  /** A refresh token as if Megan had signed in on the broker's page and consented. */
  function signedIn(): string {
    const scopes = ["https://graph.microsoft.com/User.Read.All", "offline_access"];
    emulator.grantConsent({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      userId: MEGAN_ID,
      scopes,
    });
    return emulator.issueRefreshToken({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      userId: MEGAN_ID,
      scopes,
    });
  }

  function delegated(registration: { registrationId: string; key: string }, refreshToken: string) {
    return request(registration, refreshToken, {
      app_name: "ms-graph-mail-listener",
      resource: "https://graph.microsoft.com",
    });
  }

  it("refreshes with the sent refresh token, returns the rotated one and accepts only the latest", async () => {
    const first = signedIn();
    secrets.add(first);
    const registration = await register("ms-graph-mail-listener", first);
    const answer = await obtain(delegated(registration, first));
    expect(answer.status).toBe(200);
    const second = answer.json["refresh_token"] as string;
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    const token = claims(answer.json["access_token"] as string);
    expect(token["oid"]).toBe(MEGAN_ID);
    expect(token["scp"]).toContain("User.Read.All");
    expect(emulator.tokenRequests().at(-1)!.grantType).toBe("refresh_token");

    // The old refresh token no longer matches the registration: refused before Microsoft is asked.
    const before = emulator.tokenRequests().length;
    const old = await obtain(delegated(registration, first));
    expect(old.status).toBe(401);
    expect(old.json["error"]).toBe("invalid_token");
    expect(emulator.tokenRequests()).toHaveLength(before);

    const next = await obtain(delegated(registration, second));
    expect(next.status).toBe(200);
    expect(next.json["refresh_token"]).not.toBe(second);
  });

  it("a revoked grant → 400 invalid_grant with AADSTS50173", async () => {
    const refreshToken = signedIn();
    secrets.add(refreshToken);
    const registration = await register("ms-graph-mail-listener", refreshToken);
    emulator.revokeRefreshTokens({ userId: MEGAN_ID, clientId: DEMO_BROKER_VENDOR_CLIENT_ID });
    const answer = await obtain(delegated(registration, refreshToken));
    expect(answer.status).toBe(400);
    expect(answer.json["error"]).toBe("invalid_grant");
    expect(answer.json["error_codes"]).toEqual([50173]);
    expect(answer.json["message"]).toMatch(
      /^AADSTS50173: The provided grant has expired due to it being revoked/,
    );
  });

  it("serializes concurrent requests of one registration: one rotates, the other is refused", async () => {
    const refreshToken = signedIn();
    secrets.add(refreshToken);
    const registration = await register("ms-graph-mail-listener", refreshToken);
    const answers = await Promise.all([
      obtain(delegated(registration, refreshToken)),
      obtain(delegated(registration, refreshToken)),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });
});

describe("pages and the authorization redirect", () => {
  async function startFlow(app: string) {
    const response = await fetch(`${broker.url}/${app}/start`, { method: "POST", redirect: "manual" });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
    return { location, cookie, state: location.searchParams.get("state")! };
  }

  async function page(path: string, cookie?: string) {
    const response = await fetch(`${broker.url}${path}`, cookie ? { headers: { Cookie: cookie } } : {});
    return { status: response.status, headers: response.headers, html: await response.text() };
  }

  it("serves the app list and app pages with a strict CSP and security headers", async () => {
    const home = await page("/");
    expect(home.status).toBe(200);
    expect(home.html).toContain('href="/ms-graph-user"');
    const app = await page("/ms-graph-user");
    expect(app.html).toContain("Start Authorization Process");
    const csp = app.headers.get("content-security-policy")!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(app.headers.get("x-frame-options")).toBe("DENY");
    expect(app.headers.get("x-content-type-options")).toBe("nosniff");
    expect(app.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await page("/no-such-app")).status).toBe(404);
  });

  it("application: redirects to the admin-consent endpoint with a sealed state bound to a cookie", async () => {
    const { location, cookie, state } = await startFlow("ms-graph-user");
    expect(`${location.origin}${location.pathname}`).toBe(`${emulator.url}/organizations/adminconsent`);
    expect(location.searchParams.get("client_id")).toBe(DEMO_BROKER_VENDOR_CLIENT_ID);
    expect(location.searchParams.get("redirect_uri")).toBe(`${broker.url}/callback`);
    expect(state.length).toBeGreaterThan(40);
    expect(cookie).toMatch(/^msint_broker_flow=/);
  });

  it("delegated: redirects to the authorize endpoint with PKCE S256 and offline_access", async () => {
    const { location } = await startFlow("ms-graph-mail-listener");
    expect(location.pathname).toBe("/organizations/oauth2/v2.0/authorize");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get("scope")).toBe(
      "openid profile https://graph.microsoft.com/User.Read.All offline_access",
    );
    expect(location.searchParams.get("response_type")).toBe("code");
    expect(location.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("the flow cookie is HttpOnly, SameSite=Lax, limited to /callback and expiring", async () => {
    const response = await fetch(`${broker.url}/ms-graph-user/start`, { method: "POST", redirect: "manual" });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^msint_broker_flow=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("; Path=/callback");
    expect(cookie).toContain("; HttpOnly");
    expect(cookie).toContain("; SameSite=Lax");
    expect(cookie).toContain("; Max-Age=900");
    // Plain http on loopback: not Secure (an https publicUrl adds it: abuse.test.ts).
    expect(cookie).not.toContain("Secure");
  });

  it("shows a declined consent plainly, and refuses the same state twice", async () => {
    const { cookie, state } = await startFlow("ms-graph-user");
    const query = new URLSearchParams({
      error: "access_denied",
      error_subcode: "cancel",
      error_description:
        "AADSTS65004: User declined to consent to access the app.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 3",
      state,
    });
    const declined = await page(`/callback?${query}`, cookie);
    expect(declined.status).toBe(400);
    expect(declined.html).toContain("Consent was declined");
    expect(declined.html).toContain("AADSTS65004: User declined to consent to access the app.");
    expect(declined.html).not.toContain("Trace ID");
    const again = await page(`/callback?${query}`, cookie);
    expect(again.html).toContain("already used");
  });

  it("refuses a callback without the browser's cookie, or with an altered state", async () => {
    const { state } = await startFlow("ms-graph-user");
    const noCookie = await page(`/callback?admin_consent=True&tenant=${DEMO_TENANT_ID}&state=${state}`);
    expect(noCookie.status).toBe(400);
    expect(noCookie.html).toContain("started in another browser");
    const altered = await page(
      `/callback?admin_consent=True&tenant=${DEMO_TENANT_ID}&state=${state.slice(0, -2)}AA`,
    );
    expect(altered.html).toContain("This authorization response is not valid");
  });

  it("an admin-consent redirect creates nothing: it leads to the sign-in in that tenant, bound to a new cookie", async () => {
    const before = await broker.stats();
    const { cookie, state } = await startFlow("ms-graph-user");
    const tenant = randomUUID();
    const response = await fetch(
      `${broker.url}/callback?admin_consent=True&tenant=${tenant}&state=${state}`,
      { headers: { Cookie: cookie }, redirect: "manual" },
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${emulator.url}/${tenant}/oauth2/v2.0/authorize`);
    expect(location.searchParams.get("scope")).toBe("openid profile");
    expect(location.searchParams.get("nonce")).toBeTruthy();
    expect(location.searchParams.get("state")).not.toBe(state);
    const next = response.headers.get("set-cookie")!.split(";")[0]!;
    expect(next).not.toBe(cookie);
    expect((await broker.stats()).registrations).toEqual(before.registrations);
    // The sign-in step cannot be skipped with the consent step's cookie.
    const skipped = await page(`/callback?code=x&state=${location.searchParams.get("state")}`, cookie);
    expect(skipped.html).toContain("started in another browser");
    expect((await broker.stats()).registrations).toEqual(before.registrations);
  });

  it("pending sign-ins live in the database", async () => {
    const before = (await broker.stats()).pendingSignIns;
    await startFlow("ms-graph-mail-listener");
    expect((await broker.stats()).pendingSignIns).toBe(before + 1);
  });
});

describe("at rest and in the logs", () => {
  it("never logs a token, key or secret", () => {
    expect(logs.length).toBeGreaterThan(10);
    const joined = logs.join("\n");
    for (const secret of secrets) expect(joined.includes(secret), "a secret was logged").toBe(false);
    expect(joined).not.toContain(DEMO_TENANT_ID);
  });

  it("the database holds no token and no key in plaintext", async () => {
    await broker.close();
    const files = replicas ? await replicas.dump() : await readTree(dataDir);
    expect(files.length).toBeGreaterThan(replicas ? 5 : 100);
    // Registrations were written: the rows are there, under their IDs.
    expect(filesContaining(files, Buffer.from("ms-graph-mail-listener")).length).toBeGreaterThan(0);
    expect(filesContaining(files, DEMO_TENANT_ID)).toEqual([]);
    for (const secret of secrets) {
      expect(filesContaining(files, secret)).toEqual([]);
      const raw = Buffer.from(secret, "base64");
      // Keys: also their 32 raw bytes.
      if (raw.length === 32 && raw.toString("base64") === secret)
        expect(filesContaining(files, raw)).toEqual([]);
    }
  });

  it("refuses to open the database with another master key, naming the variable", async () => {
    await expect(
      startBroker({
        config: config(),
        env: { VENDOR_SECRET, MSINT_BROKER_MASTER_KEY: randomBytes(32).toString("base64") },
        ...(replicas ? { database: replicas.url } : { dataDir }),
        log: () => undefined,
      }),
    ).rejects.toThrow(/MSINT_BROKER_MASTER_KEY does not match the key this database/);
  }, 60_000);
});
