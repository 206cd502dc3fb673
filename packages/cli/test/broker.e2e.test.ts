import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_ADMIN_UPN,
  DEMO_BROKER_VENDOR_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  demoSeed,
  type EmulatorSeed,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.js";
import { BIN, type CliRun, runCli, tempHome } from "./helpers.js";

// The Cortex XSOAR application flow end to end: `msint broker start` in its own process, the customer in Chromium
// on the broker's page and the emulator's sign-in and consent pages, then `msint run` processes that get their
// tokens from the broker with the ID, Token and Key the page showed.

const VENDOR_SECRET = "vendor-secret-for-broker-e2e";
const MEGAN_UPN = "meganb@contoso.onmicrosoft.com";

/** The demo seed with a secret and the broker's loopback redirect URI on the vendor's multi-tenant app. */
function seed(): EmulatorSeed {
  const copy = structuredClone(demoSeed);
  for (const tenant of copy.tenants) {
    for (const app of tenant.apps) {
      if (app.clientId !== DEMO_BROKER_VENDOR_CLIENT_ID) continue;
      app.secrets = [{ value: VENDOR_SECRET, expiresOn: "2099-12-31T00:00:00Z" }];
      app.redirectUris = ["http://127.0.0.1/callback"];
    }
  }
  return copy;
}

interface BrokerProcess {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `msint broker start` with `config` until stopped; resolves once it listens. */
async function startBrokerProcess(config: object): Promise<BrokerProcess> {
  const dir = await mkdtemp(join(tmpdir(), "msint-broker-e2e-"));
  const configFile = join(dir, "broker.json");
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const dataDir = join(dir, "data");
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, "broker", "start", "--port", "0", "--config", configFile, "--data-dir", dataDir],
    {
      env: {
        ...process.env,
        MSINT_LOG: undefined,
        VENDOR_SECRET,
        MSINT_BROKER_MASTER_KEY: "a passphrase long enough for the broker tests",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the broker did not start: ${stderr}`)), 90_000);
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`msint broker start exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => `${stdout}\n${stderr}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

let emulator: RunningEmulator;
let browser: Browser;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // Rotated refresh tokens may not be reused: a command that sent an old one would fail.
  emulator = await startEmulator({ port: 0, seed: seed(), refreshTokenReuse: "reject" });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});
beforeEach(async () => {
  ({ home, cleanup } = await tempHome());
  emulator.clearRequests();
  emulator.setTokenLifetime(3599);
});
afterEach(async () => {
  await cleanup();
});

const cli = (args: string[]) => runCli(args, { MSINT_HOME: home });

function ok(result: CliRun): CliRun {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

/** Start Authorization Process on the broker, sign in on the emulator, and accept or decline the consent. */
async function authorize(page: Page, brokerUrl: string, upn: string, answer: "accept" | "cancel") {
  await page.goto(`${brokerUrl}/ms-graph-user`);
  await page.click("text=Start Authorization Process");
  await page.fill("#username", upn);
  await page.fill("#password", DEMO_USER_PASSWORD);
  await page.click("#signin");
  // The consent page, unless the tenant's admin consent already covers the app (users then skip it).
  await page.waitForFunction(
    "document.querySelector('#accept') !== null || location.pathname === '/callback'",
  );
  if (answer === "cancel" || (await page.locator("#accept").count())) await page.click(`#${answer}`);
  await page.waitForURL(`${brokerUrl}/callback?**`);
}

/** ID, Token and Key as the credentials page shows them. */
async function readCredentials(page: Page) {
  await page.waitForSelector("h1:text('Authorization complete')");
  const value = (id: string) => page.inputValue(`#${id}`);
  return { id: await value("id"), token: await value("token"), key: await value("key") };
}

async function addBrokerInstance(name: string, credentials: { id: string; token: string; key: string }) {
  ok(
    await cli([
      "instance",
      "add",
      name,
      "--integration",
      "msgraph-user",
      // self_deployed stays unset: the Cortex XSOAR application flow.
      "--param",
      `auth_id=${credentials.id}`,
      "--param",
      `tenant_id=${credentials.token}`,
      "--param",
      `enc_key=${credentials.key}`,
      "--param",
      "azure_cloud=Custom",
      "--param",
      `azure_ad_endpoint=${emulator.url}`,
      "--param",
      `server_url=${emulator.url}`,
    ]),
  );
}

/** Every file of a directory tree, raw. */
async function rawFiles(dir: string): Promise<Buffer[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        readFile(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)),
      ),
  );
}

const obtainTokenLines = (broker: BrokerProcess) =>
  broker
    .output()
    .split("\n")
    .filter((line) => line.includes("obtain-token"));

describe("Cortex XSOAR application through msint's token broker, in Chromium", { timeout: 180_000 }, () => {
  it("application permissions: admin consent → ID, Token and Key → auth-test and user list through the broker", async () => {
    const broker = await startBrokerProcess({
      loginHost: emulator.url,
      apps: {
        "ms-graph-user": {
          displayName: "Microsoft Graph User",
          clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
          clientSecret: "env:VENDOR_SECRET",
          permissions: "application",
        },
      },
    });
    try {
      // Declining is shown plainly, with Microsoft's code.
      const declinedContext = await browser.newContext();
      const declined = await declinedContext.newPage();
      await authorize(declined, broker.url, DEMO_ADMIN_UPN, "cancel");
      expect(await declined.textContent("#heading")).toBe("Consent was declined");
      expect(await declined.textContent("#error")).toContain("AADSTS65004: User declined to consent");
      await declinedContext.close();

      const context = await browser.newContext();
      const page = await context.newPage();
      await authorize(page, broker.url, DEMO_ADMIN_UPN, "accept");
      const credentials = await readCredentials(page);
      const instructions = await page.textContent("#instructions");
      await context.close();
      expect(credentials.id).toMatch(/^[0-9a-f-]{36}@/);
      expect(credentials.id).toBe(`${credentials.id.split("@")[0]}@${broker.url}/obtain-token`);
      expect(credentials.token).toBe(DEMO_TENANT_ID);
      expect(Buffer.from(credentials.key, "base64")).toHaveLength(32);
      expect(instructions).toMatch(/ID\s*→\s*App\/client ID/);
      expect(instructions).toMatch(/Token\s*→\s*Tenant ID/);
      expect(instructions).toMatch(/Key\s*→\s*Client Secret/);

      await addBrokerInstance("graph", credentials);
      emulator.clearRequests();
      ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
      const list = ok(await cli(["run", "msgraph-user-list", "limit=2", "--instance", "graph"]));
      expect(list.stdout).toContain("### All Graph Users");
      // The broker, not the instance, asked Entra: with the vendor app's own credentials.
      const tokenCalls = emulator.tokenRequests();
      expect(tokenCalls.length).toBeGreaterThanOrEqual(1);
      for (const call of tokenCalls) {
        expect(call.grantType).toBe("client_credentials");
        expect(call.clientId).toBe(DEMO_BROKER_VENDOR_CLIENT_ID);
        expect(call.tenant).toBe(DEMO_TENANT_ID);
      }
      expect(obtainTokenLines(broker).some((line) => line.includes("status=200"))).toBe(true);
    } finally {
      await broker.stop();
    }
    const output = broker.output();
    expect(output).not.toContain(VENDOR_SECRET);
    await rm(join(broker.dataDir, ".."), { recursive: true, force: true });
  }, 180_000);

  it("delegated permissions: user sign-in → the Token is a refresh token, rotated by the broker on every command", async () => {
    const broker = await startBrokerProcess({
      loginHost: emulator.url,
      apps: {
        "ms-graph-user": {
          displayName: "Microsoft Graph User (delegated)",
          clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
          clientSecret: "env:VENDOR_SECRET",
          permissions: "delegated",
          scopes: [`${emulator.url}/User.Read.All`],
        },
      },
    });
    let credentials: { id: string; token: string; key: string };
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await authorize(page, broker.url, MEGAN_UPN, "accept");
      credentials = await readCredentials(page);
      await context.close();
      expect(credentials.token).not.toBe(DEMO_TENANT_ID);
      expect(credentials.token.length).toBeGreaterThan(20);
      expect(emulator.tokenRequests().map((call) => call.grantType)).toEqual(["authorization_code"]);

      await addBrokerInstance("graph", credentials);
      // Access tokens that are never reusable send every command to the broker, which must rotate each time.
      emulator.setTokenLifetime(60);
      emulator.clearRequests();
      ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
      const list = ok(await cli(["run", "msgraph-user-list", "limit=2", "--instance", "graph"]));
      expect(list.stdout).toContain("### All Graph Users");
      ok(await cli(["run", "msgraph-user-get", `user=${DEMO_ADMIN_UPN}`, "--instance", "graph"]));
      const calls = emulator.tokenRequests();
      expect(calls.map((call) => call.grantType)).toEqual([
        "refresh_token",
        "refresh_token",
        "refresh_token",
      ]);
      expect(calls.every((call) => call.clientId === DEMO_BROKER_VENDOR_CLIENT_ID)).toBe(true);
      expect(obtainTokenLines(broker).filter((line) => line.includes("status=200"))).toHaveLength(3);

      // The Token from the page was used once: sending it again (a copy of the instance) is refused by the broker.
      await addBrokerInstance("copy", credentials);
      const stale = await cli(["run", "msgraph-user-auth-test", "--instance", "copy"]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("does not match this registration");
      expect(emulator.tokenRequests()).toHaveLength(3);
    } finally {
      await broker.stop();
    }
    const output = broker.output();
    for (const secret of [VENDOR_SECRET, credentials.token, credentials.key]) {
      expect(output.includes(secret), "the broker logged a secret").toBe(false);
    }
    // At rest: neither the refresh token nor the key, as text or raw bytes.
    const files = await rawFiles(broker.dataDir);
    for (const needle of [
      Buffer.from(credentials.token),
      Buffer.from(credentials.key),
      Buffer.from(credentials.key, "base64"),
    ]) {
      expect(files.some((data) => data.includes(needle))).toBe(false);
    }
    await rm(join(broker.dataDir, ".."), { recursive: true, force: true });
  }, 180_000);
});
