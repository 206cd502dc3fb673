import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptBrokerToken } from "@msint/auth-core/internal";
import {
  DEMO_ADMIN_UPN,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrokerOptions, type RunningBroker, startBroker } from "../src/index.js";
import { type Replicas, startReplicas } from "./replicas.js";
import { brokerSeed, countRegistrationRows, launchChromium, protocolMode, VENDOR_SECRET } from "./support.js";

// Issue 11.1 end to end in Chromium: a registration is created only from an ID token the broker validated itself,
// from an OpenID Connect sign-in it started. Every forged callback gets a refusal page and leaves the database
// without a new registration. The ID token checks follow OpenID Connect Core 1.0 §3.1.3.7 and Microsoft's
// "ID token claims reference" (iss = https://<login host>/<tid>/v2.0, aud = client ID, nonce, exp/nbf, tid).

const MEGAN_UPN = "meganb@contoso.onmicrosoft.com";
const emulatorKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const strangerKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

let emulator: RunningEmulator;
let broker: RunningBroker;
/** Set when the suite runs on replicas behind a round-robin balancer (consent-replicas.e2e.test.ts). */
let replicas: Replicas | undefined;
let browser: Browser;
let dataDir: string;
/** Added to the broker's clock (to let a sign-in expire). */
let clockOffsetMs = 0;
let honest = 0;
/** `kid` of `emulatorKey` (the emulator keeps publishing it after a rollover). */
let emulatorKid = "";
const logs: string[] = [];

beforeAll(async () => {
  const seed = brokerSeed();
  // The attacker's own app in the tenant, redirecting to the broker: its codes are not the broker's.
  const attackerApp = seed.tenants[0]!.apps.find((app) => app.clientId === DEMO_CLIENT_ID)!;
  attackerApp.redirectUris = [...(attackerApp.redirectUris ?? []), "http://127.0.0.1/callback"];
  emulator = await startEmulator({ port: 0, seed, signingKey: emulatorKey });
  emulatorKid = emulator.signingKeyId();
  dataDir = await mkdtemp(join(tmpdir(), "msint-broker-consent-"));
  const options: Omit<BrokerOptions, "dataDir" | "database"> = {
    config: {
      loginHost: emulator.url,
      apps: {
        "ms-graph-user": {
          displayName: "Microsoft Graph User",
          clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
          clientSecret: "env:VENDOR_SECRET",
          permissions: "application",
        },
        "ms-graph-mail-listener": {
          displayName: "O365 Outlook Mail (Using Graph API)",
          clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
          clientSecret: "env:VENDOR_SECRET",
          permissions: "delegated",
          scopes: ["https://graph.microsoft.com/User.Read.All"],
        },
      },
    },
    env: { VENDOR_SECRET, MSINT_BROKER_MASTER_KEY: randomBytes(32).toString("base64") },
    log: (line) => logs.push(line),
    now: () => Date.now() + clockOffsetMs,
  };
  if (protocolMode.replicas > 1) {
    // Every request goes to the next replica: a sign-in starts on one and its callback lands on another.
    replicas = await startReplicas(options, protocolMode.replicas);
    broker = replicas.broker;
  } else {
    broker = await startBroker({ ...options, dataDir });
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await (replicas ? replicas.stop() : broker?.close());
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function registrations(): Promise<number> {
  const { registrations } = await broker.stats();
  return Object.values(registrations).reduce((sum, count) => sum + count, 0);
}

/** A fresh browser (no cookies of the broker or of the emulator). */
async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** Clicks Start Authorization Process and waits for the emulator's page; returns its URL. */
async function startAt(page: Page, app: string): Promise<URL> {
  await page.goto(`${broker.url}/${app}`);
  await Promise.all([page.waitForURL(`${emulator.url}/**`), page.click("text=Start Authorization Process")]);
  return new URL(page.url());
}

/** Signs in on the emulator's page and accepts every consent page until the broker answers. */
async function signInAndAccept(page: Page, upn: string) {
  await page.fill("#username", upn);
  await page.fill("#password", DEMO_USER_PASSWORD);
  await page.click("#signin");
  for (;;) {
    await page.waitForFunction(
      `document.querySelector("#accept") !== null || (location.origin === ${JSON.stringify(new URL(broker.url).origin)} && document.querySelector("h1") !== null)`,
    );
    if (new URL(page.url()).origin === new URL(broker.url).origin) return;
    await page.click("#accept");
  }
}

async function heading(page: Page): Promise<string> {
  return (await page.textContent("h1"))?.trim() ?? "";
}

async function credentials(page: Page) {
  expect(await heading(page)).toBe("Authorization complete");
  const value = (id: string) => page.inputValue(`#${id}`);
  return { id: await value("id"), token: await value("token"), key: await value("key") };
}

/** An ID token as a token endpoint would return it, signed with `key` (or unsigned for alg none). */
function idToken(
  claims: Record<string, unknown>,
  options: { key?: KeyObject; kid?: string; alg?: string } = {},
): string {
  const header = { typ: "JWT", alg: options.alg ?? "RS256", kid: options.kid ?? emulatorKid };
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  if (header.alg === "none") return `${input}.`;
  return `${input}.${sign("sha256", Buffer.from(input), options.key ?? emulatorKey).toString("base64url")}`;
}

/** Valid claims for the sign-in at `authorize` (the nonce the broker sent); `changes` makes them wrong. */
function claimsFor(authorize: URL, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: DEMO_BROKER_VENDOR_CLIENT_ID,
    iss: `${emulator.url}/${DEMO_TENANT_ID}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    nonce: authorize.searchParams.get("nonce"),
    oid: "08fa38e4-cbfa-4488-94ed-c834da6539df",
    preferred_username: MEGAN_UPN,
    sub: "x",
    tid: DEMO_TENANT_ID,
    ver: "2.0",
    ...changes,
  };
}

/** The token endpoint's next answer carries `token` as its ID token (a tampered or misbehaving answer). */
function answerWithIdToken(token: string) {
  emulator.faults.inject({
    match: "/oauth2/v2.0/token",
    status: 200,
    body: JSON.stringify({
      token_type: "Bearer",
      scope: "openid profile User.Read.All",
      expires_in: 3599,
      access_token: "not-a-real-access-token",
      refresh_token: "not-a-real-refresh-token",
      id_token: token,
    }),
  });
}

describe("the consent proof, in Chromium", () => {
  it("application: admin consent, then the broker's own OpenID Connect sign-in, then ID, Token and Key", async () => {
    const before = await registrations();
    const { context, page } = await freshPage();
    const consent = await startAt(page, "ms-graph-user");
    expect(consent.pathname).toBe("/organizations/adminconsent");
    // The sign-in request the broker sends after the consent, as the authorization code flow documents it.
    const authorizeRequests: URL[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/oauth2/v2.0/authorize")) authorizeRequests.push(new URL(request.url()));
    });
    await signInAndAccept(page, DEMO_ADMIN_UPN);
    const shown = await credentials(page);
    await context.close();
    expect(shown.token).toBe(DEMO_TENANT_ID);
    expect(authorizeRequests).toHaveLength(1);
    const authorize = authorizeRequests[0]!;
    expect(authorize.pathname).toBe(`/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: DEMO_BROKER_VENDOR_CLIENT_ID,
      response_type: "code",
      response_mode: "query",
      scope: "openid profile",
      code_challenge_method: "S256",
      redirect_uri: `${broker.url}/callback`,
    });
    expect(authorize.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The credentials work.
    const answer = await fetch(broker.obtainTokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        app_name: "ms-graph-user",
        registration_id: shown.id.split("@")[0],
        encrypted_token: encryptBrokerToken(shown.token, shown.key),
        scope: null,
        resource: "",
      }),
    });
    expect(answer.status).toBe(200);
    expect(await registrations()).toBe(before + 1);
    honest++;
  }, 120_000);

  it("delegated: the sign-in's ID token is validated, the Token is the refresh token", async () => {
    const before = await registrations();
    const { context, page } = await freshPage();
    const authorize = await startAt(page, "ms-graph-mail-listener");
    expect(authorize.searchParams.get("scope")).toBe(
      "openid profile https://graph.microsoft.com/User.Read.All offline_access",
    );
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    await signInAndAccept(page, MEGAN_UPN);
    const shown = await credentials(page);
    await context.close();
    expect(shown.token.length).toBeGreaterThan(20);
    expect(await registrations()).toBe(before + 1);
    honest++;
  }, 120_000);

  it("after a signing-key rollover the broker fetches the new key and still accepts the sign-in", async () => {
    const before = await registrations();
    await emulator.rotateSigningKey();
    const { context, page } = await freshPage();
    await startAt(page, "ms-graph-mail-listener");
    // The broker refetches the signing keys for an unknown kid at most every 10 s (oidc.ts JWKS_REFETCH_MS); the
    // earlier sign-ins fetched them moments ago on a fast machine, so its clock is moved past that throttle, for
    // the rest of the suite: on replicas, the one that did not answer this sign-in meets the new key later.
    clockOffsetMs = 11_000;
    await signInAndAccept(page, MEGAN_UPN);
    await credentials(page);
    await context.close();
    expect(await registrations()).toBe(before + 1);
    honest++;
  }, 120_000);
});

describe("forged callbacks: a refusal page, and no registration", () => {
  /** Runs `attack`, then checks the page shows `title` and the database holds no new registration. */
  async function refused(title: string | RegExp, attack: (page: Page) => Promise<void>) {
    const before = await registrations();
    const { context, page } = await freshPage();
    try {
      await attack(page);
      await page.waitForSelector("h1");
      const shown = await heading(page);
      if (typeof title === "string") expect(shown).toBe(title);
      else expect(shown).toMatch(title);
      expect(await page.locator("#id").count()).toBe(0);
    } finally {
      await context.close();
    }
    expect(await registrations()).toBe(before);
  }

  it("the admin-consent redirect alone: the broker only asks for the sign-in", async () => {
    const before = await registrations();
    const { context, page } = await freshPage();
    const consent = await startAt(page, "ms-graph-user");
    // Skip Microsoft: claim the consent of a known tenant straight at the callback.
    await page.goto(
      `${broker.url}/callback?admin_consent=True&tenant=${DEMO_TENANT_ID}&state=${consent.searchParams.get("state")}`,
    );
    const next = new URL(page.url());
    expect(`${next.origin}${next.pathname}`).toBe(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
    expect(await page.locator("#username").count()).toBe(1);
    await context.close();
    expect(await registrations()).toBe(before);
  }, 120_000);

  it("a callback without a code", async () => {
    await refused("Microsoft returned no authorization code", async (page) => {
      const authorize = await startAt(page, "ms-graph-mail-listener");
      await page.goto(`${broker.url}/callback?state=${authorize.searchParams.get("state")}`);
    });
  }, 120_000);

  it("a code issued to another client", async () => {
    await refused("The sign-in could not be completed", async (page) => {
      const authorize = await startAt(page, "ms-graph-mail-listener");
      // The attacker's own app signs in and sends its code to the broker's callback with the broker's state.
      const theirs = new URL(authorize);
      theirs.searchParams.set("client_id", DEMO_CLIENT_ID);
      theirs.searchParams.set("scope", "openid profile User.Read");
      await page.goto(theirs.toString());
      await signInAndAccept(page, MEGAN_UPN);
    });
    const last = emulator.tokenRequests().at(-1)!;
    expect(last.clientId).toBe(DEMO_BROKER_VENDOR_CLIENT_ID);
  }, 120_000);

  it("an ID token with another nonce (a sign-in the broker did not start)", async () => {
    await refused("The sign-in could not be verified", async (page) => {
      const authorize = await startAt(page, "ms-graph-mail-listener");
      const altered = new URL(authorize);
      altered.searchParams.set("nonce", "the-attackers-own-nonce");
      await page.goto(altered.toString());
      await signInAndAccept(page, MEGAN_UPN);
      expect(await page.textContent("body")).toContain("nonce mismatch");
    });
  }, 120_000);

  it("a callback without the browser's cookie, or with another browser's", async () => {
    const victim = await freshPage();
    const authorize = await startAt(victim.page, "ms-graph-mail-listener");
    const state = authorize.searchParams.get("state")!;
    await refused("The authorization process was started in another browser", async (page) => {
      await page.goto(`${broker.url}/callback?code=stolen-code&state=${state}`);
    });
    await refused("The authorization process was started in another browser", async (page) => {
      await startAt(page, "ms-graph-mail-listener"); // this browser's own cookie, for its own state
      await page.goto(`${broker.url}/callback?code=stolen-code&state=${state}`);
    });
    // Neither used the state up: the real browser still finishes.
    await signInAndAccept(victim.page, MEGAN_UPN);
    await credentials(victim.page);
    await victim.context.close();
    honest++;
  }, 120_000);

  it("a replayed callback (the state was already answered)", async () => {
    const { context, page } = await freshPage();
    await startAt(page, "ms-graph-mail-listener");
    await signInAndAccept(page, MEGAN_UPN);
    const callbackUrl = page.url();
    await credentials(page);
    honest++;
    const before = await registrations();
    await page.goto(callbackUrl);
    expect(await heading(page)).toBe("This authorization response was already used");
    await context.close();
    expect(await registrations()).toBe(before);
  }, 120_000);

  it("a sign-in answered after its state expired", async () => {
    await refused("The authorization process expired", async (page) => {
      await startAt(page, "ms-graph-mail-listener");
      const offset = clockOffsetMs;
      clockOffsetMs = offset + 16 * 60_000;
      try {
        await signInAndAccept(page, MEGAN_UPN);
      } finally {
        clockOffsetMs = offset;
      }
    });
  }, 120_000);

  const tampered: Array<[string, (authorize: URL) => string, string]> = [
    [
      "an ID token signed by a key the tenant does not publish",
      (authorize) => idToken(claimsFor(authorize), { key: strangerKey, kid: randomUUID() }),
      "signed with a key the tenant does not publish",
    ],
    [
      "an ID token with the tenant's kid but another key's signature",
      (authorize) => idToken(claimsFor(authorize), { key: strangerKey }),
      "signature does not verify",
    ],
    [
      "an expired ID token",
      (authorize) => {
        const past = Math.floor(Date.now() / 1000) - 7200;
        return idToken(claimsFor(authorize, { iat: past, nbf: past, exp: past + 3600 }));
      },
      "has expired",
    ],
    [
      "an unsigned ID token (alg none)",
      (authorize) => idToken(claimsFor(authorize), { alg: "none" }),
      "RS256",
    ],
    [
      "an ID token signed with HS256",
      (authorize) => idToken(claimsFor(authorize), { alg: "HS256" }),
      "RS256",
    ],
    [
      "an ID token for another application",
      (authorize) => idToken(claimsFor(authorize, { aud: DEMO_CLIENT_ID })),
      "another application",
    ],
    [
      "an ID token from another issuer",
      (authorize) =>
        idToken(claimsFor(authorize, { iss: `https://login.example.com/${DEMO_TENANT_ID}/v2.0` })),
      "not issued by the tenant",
    ],
    ["no ID token at all", () => "", "did not return an ID token"],
  ];

  it.each(tampered)(
    "%s",
    async (_label, forge, reason) => {
      await refused("The sign-in could not be verified", async (page) => {
        const authorize = await startAt(page, "ms-graph-mail-listener");
        answerWithIdToken(forge(authorize));
        await signInAndAccept(page, MEGAN_UPN);
        expect(await page.textContent("body")).toContain(reason);
      });
      expect(emulator.faults.pending()).toEqual([]);
    },
    60_000,
  );

  it("an ID token of another tenant than the one whose admin consented (tid mismatch)", async () => {
    await refused("The sign-in could not be verified", async (page) => {
      // The sign-in request of the broker (after the consent step) fixes the nonce the forged answer carries. It
      // reaches the browser as a redirect, which page.route cannot hold, and the "request" event may arrive after
      // the broker already redeemed the code on a loaded machine (seen once on the Node 24 leg): the emulator
      // answers that sign-in request 3 s late, time enough for the event to put the forged answer in place.
      emulator.faults.inject({ match: "/oauth2/v2.0/authorize", delayMs: 3_000 });
      page.on("request", (request) => {
        if (!request.url().includes("/oauth2/v2.0/authorize")) return;
        const other = randomUUID();
        const claims = claimsFor(new URL(request.url()), {
          tid: other,
          iss: `${emulator.url}/${other}/v2.0`,
        });
        answerWithIdToken(idToken(claims));
      });
      await startAt(page, "ms-graph-user");
      await signInAndAccept(page, DEMO_ADMIN_UPN);
      expect(await page.textContent("body")).toContain("another tenant than the one that consented");
    });
    expect(emulator.faults.pending()).toEqual([]);
  }, 120_000);

  it("every refusal is logged with the client address, and nothing secret", () => {
    const refusals = logs.filter((line) => line.includes("authorization failed"));
    expect(refusals.length).toBeGreaterThanOrEqual(14);
    for (const line of refusals) expect(line).toMatch(/client=127\.0\.0\.1/);
    expect(logs.join("\n")).not.toContain(VENDOR_SECRET);
  });

  it("the database, read directly, holds exactly the honest registrations", async () => {
    if (replicas) {
      // Both replicas served the flows, and every pending sign-in is a row of the shared database.
      expect(replicas.served.every((count) => count > 10)).toBe(true);
      expect(await replicas.count("registrations")).toBe(honest);
      expect(await replicas.count("pending_signins")).toBeGreaterThan(honest);
      return;
    }
    await broker.close();
    expect(await countRegistrationRows(dataDir)).toBe(honest);
  }, 120_000);
});
