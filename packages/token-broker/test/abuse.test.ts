import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from "node:fs";
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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBroker, startBroker } from "../src/index.js";
import { type Replicas, startReplicas } from "./replicas.js";
import { brokerSeed, readTree, VENDOR_SECRET } from "./support.js";

// Issue 11.2: failures naming a registration slow down that registration from that address only; behind a
// configured proxy the client address comes from its header (never otherwise); every failure line names the client;
// the data directory and the database files are private.

const MASTER_KEY = randomBytes(32).toString("base64");
const ATTACKER = "203.0.113.9";
const CUSTOMER = "198.51.100.4";

let emulator: RunningEmulator;
let root: string;
let clock = Date.now();

function config(extra: Record<string, unknown> = {}) {
  return {
    loginHost: emulator.url,
    apps: {
      "ms-graph-user": {
        clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
        clientSecret: "env:VENDOR_SECRET",
        permissions: "application" as const,
        rateLimitPerMinute: 3,
      },
    },
    ...extra,
  };
}

async function start(dataDir: string, extra: Record<string, unknown> = {}, log?: string[]) {
  return startBroker({
    config: config(extra),
    env: { VENDOR_SECRET, MSINT_BROKER_MASTER_KEY: MASTER_KEY },
    dataDir,
    log: (line) => log?.push(line),
    now: () => clock,
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: brokerSeed() });
  root = await mkdtemp(join(tmpdir(), "msint-broker-abuse-"));
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  await rm(root, { recursive: true, force: true });
});

async function obtain(
  broker: RunningBroker,
  registration: { registrationId: string; key: string },
  headers: Record<string, string> = {},
) {
  const response = await fetch(broker.obtainTokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({
      app_name: "ms-graph-user",
      registration_id: registration.registrationId,
      encrypted_token: encryptBrokerToken(DEMO_TENANT_ID, registration.key, clock),
      scope: null,
      resource: "",
    }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, error: body["error"], retryAfter: response.headers.get("retry-after") };
}

const wrongKey = (registration: { registrationId: string }) => ({
  registrationId: registration.registrationId,
  key: randomBytes(32).toString("base64"),
});

describe("behind a trusted proxy", () => {
  let broker: RunningBroker;
  const log: string[] = [];
  beforeAll(async () => {
    broker = await start(
      join(root, "proxied"),
      { trustedProxy: { header: "x-forwarded-for", hops: 1 } },
      log,
    );
  }, 120_000);
  afterAll(() => broker?.close());

  const from = (address: string) => ({ "X-Forwarded-For": `10.9.9.9, ${address}` });

  it("an address guessing a registration's Key is slowed down, exponentially; its real client is still served", async () => {
    const registration = await broker.register("ms-graph-user", DEMO_TENANT_ID);
    // Five free failures, then each one blocks the pair for twice as long.
    for (let i = 0; i < 5; i++) {
      expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).error).toBe("decryption_failed");
    }
    expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).error).toBe("decryption_failed");
    const blocked = await obtain(broker, wrongKey(registration), from(ATTACKER));
    expect(blocked).toMatchObject({ status: 429, error: "rate_limited", retryAfter: "1" });
    // Even the right Key waits out the block from that address.
    expect((await obtain(broker, registration, from(ATTACKER))).status).toBe(429);
    // The customer, calling from elsewhere, is served all the while.
    expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(200);
    clock += 1_000;
    expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).error).toBe("decryption_failed");
    expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).retryAfter).toBe("2");
    clock += 2_000;
    await obtain(broker, wrongKey(registration), from(ATTACKER));
    expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).retryAfter).toBe("4");
    expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(200);
  }, 120_000);

  it("failed requests do not use up the registration's rate limit", async () => {
    const registration = await broker.register("ms-graph-user", DEMO_TENANT_ID);
    for (let i = 0; i < 12; i++) {
      const stranger = `192.0.2.${i + 1}`;
      expect((await obtain(broker, wrongKey(registration), from(stranger))).status).toBe(401);
    }
    // rateLimitPerMinute is 3: all three go to the customer.
    for (let i = 0; i < 3; i++) expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(200);
    expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(429);
    clock += 60_000;
  }, 120_000);

  it("every failure line carries the client address from the header; a bad header falls back to the peer, said so", async () => {
    const registration = await broker.register("ms-graph-user", DEMO_TENANT_ID);
    const marker = randomUUID();
    await obtain(broker, { registrationId: marker, key: registration.key }, from("192.0.2.200"));
    await obtain(
      broker,
      { registrationId: marker, key: registration.key },
      { "X-Forwarded-For": "not-an-ip" },
    );
    const failures = log.filter((line) => line.includes("obtain-token") && !line.includes("status=200"));
    expect(failures.length).toBeGreaterThan(10);
    for (const line of failures) expect(line).toMatch(/client=[0-9a-f.:]+/);
    expect(failures.some((line) => line.includes(`client=${ATTACKER}`))).toBe(true);
    expect(failures.some((line) => line.includes("client=192.0.2.200"))).toBe(true);
    expect(
      failures.some((line) => line.includes("client=127.0.0.1") && line.includes("not an IP address")),
    ).toBe(true);
  });
});

describe("two replicas on one PostgreSQL database, behind a trusted proxy", () => {
  // The balancer sends each request to the next replica: failures, backoff and rate counted on one replica must
  // hold on the other, or an attacker would get twice the guesses (and the customer half the rate).
  let replicas: Replicas;
  beforeAll(async () => {
    replicas = await startReplicas(
      {
        config: config({ trustedProxy: { header: "x-forwarded-for", hops: 1 } }),
        env: { VENDOR_SECRET, MSINT_BROKER_MASTER_KEY: MASTER_KEY },
        log: () => undefined,
        now: () => clock,
      },
      2,
    );
  }, 180_000);
  afterAll(() => replicas?.stop());

  const from = (address: string) => ({ "X-Forwarded-For": `10.9.9.9, ${address}` });

  it("the backoff of a (registration, address) pair and the registration's rate hold across replicas", async () => {
    const broker = replicas.broker;
    const registration = await broker.register("ms-graph-user", DEMO_TENANT_ID);
    const served = [...replicas.served];
    for (let i = 0; i < 6; i++) {
      expect((await obtain(broker, wrongKey(registration), from(ATTACKER))).error).toBe("decryption_failed");
    }
    // Both replicas took failures: three each.
    expect(replicas.served.map((count, index) => count - (served[index] ?? 0))).toEqual([3, 3]);
    expect(await replicas.count("broker_strikes")).toBe(1);
    // Whichever replica answers next, the pair is blocked, even with the right Key.
    expect(await obtain(broker, wrongKey(registration), from(ATTACKER))).toMatchObject({
      status: 429,
      error: "rate_limited",
      retryAfter: "1",
    });
    expect((await obtain(broker, registration, from(ATTACKER))).status).toBe(429);
    // The customer is served meanwhile; rateLimitPerMinute 3 counts on both replicas together.
    for (let i = 0; i < 3; i++) expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(200);
    expect((await obtain(broker, registration, from(CUSTOMER))).status).toBe(429);
    clock += 60_000;
    // After the block, a success of the attacker's address with the right Key starts the pair over.
    expect((await obtain(broker, registration, from(ATTACKER))).status).toBe(200);
    expect(await replicas.count("broker_strikes")).toBe(0);
  }, 180_000);
});

describe("without a trusted proxy", () => {
  it("X-Forwarded-For is ignored: the client is the TCP peer", async () => {
    const log: string[] = [];
    const broker = await start(join(root, "direct"), {}, log);
    try {
      const registration = await broker.register("ms-graph-user", DEMO_TENANT_ID);
      for (let i = 0; i < 6; i++) {
        // A different forged address each time does not escape the limit of the real peer.
        await obtain(broker, wrongKey(registration), { "X-Forwarded-For": `192.0.2.${i + 1}` });
      }
      const answer = await obtain(broker, wrongKey(registration), { "X-Forwarded-For": "192.0.2.99" });
      expect(answer.status).toBe(429);
      const lines = log.filter((line) => line.includes("obtain-token"));
      expect(lines.length).toBe(7);
      for (const line of lines) {
        expect(line).toContain("client=127.0.0.1");
        expect(line).not.toContain("192.0.2.");
      }
    } finally {
      await broker.close();
    }
  }, 120_000);
});

describe("the flow cookie of an https broker", () => {
  it("is Secure, besides HttpOnly and SameSite=Lax", async () => {
    const broker = await start(join(root, "https"), { publicUrl: "https://broker.example.com" });
    try {
      const response = await fetch(`${broker.url}/ms-graph-user/start`, {
        method: "POST",
        redirect: "manual",
      });
      const cookie = response.headers.get("set-cookie")!;
      expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=900; Secure$/);
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
      // The redirect URI comes from publicUrl, never from the request.
      const location = new URL(response.headers.get("location")!);
      expect(location.searchParams.get("redirect_uri")).toBe("https://broker.example.com/callback");
    } finally {
      await broker.close();
    }
  }, 120_000);
});

describe("the data directory", () => {
  const mode = (path: string) => statSync(path).mode & 0o777;

  it("an existing directory open to others is made 0700, and every database file 0600", async () => {
    const dataDir = join(root, "existing");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, "notes.txt"), "left by the operator", { mode: 0o644 });
    const broker = await start(dataDir);
    try {
      expect(mode(dataDir)).toBe(0o700);
      // Already while running: what the database created is private.
      const files = await readTree(dataDir);
      expect(files.length).toBeGreaterThan(50);
      for (const file of files) expect(mode(file.path), file.path).toBe(0o600);
    } finally {
      await broker.close();
    }
    for (const file of await readTree(dataDir)) expect(mode(file.path), file.path).toBe(0o600);
    expect(mode(join(dataDir, "pgdata"))).toBe(0o700);
  }, 120_000);

  it.runIf(process.getuid?.() === 0)(
    "a directory owned by another user is refused, naming the owner",
    async () => {
      const dataDir = join(root, "foreign");
      mkdirSync(dataDir, { mode: 0o700 });
      chownSync(dataDir, 65534, 65534);
      await expect(start(dataDir)).rejects.toThrow(
        /Broker configuration: dataDir .*foreign is owned by user 65534, not by the user running the broker \(0\)/,
      );
    },
  );
});
