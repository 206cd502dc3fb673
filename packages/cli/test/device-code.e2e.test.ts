import {
  DEMO_ADMIN_UPN,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.js";
import { type CliRun, runCli, tempHome } from "./helpers.js";

let emulator: RunningEmulator;
let browser: Browser;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, proxy: true, refreshTokenReuse: "reject" });
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

const cli = (args: string[]) =>
  runCli(args, {
    MSINT_HOME: home,
    HTTPS_PROXY: emulator.proxyUrl!,
    NO_PROXY: "127.0.0.1,localhost",
    NODE_EXTRA_CA_CERTS: emulator.caCertFile!,
  });

function ok(result: CliRun): CliRun {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

/** Microsoft Graph API (it declares device code) with the demo public client. */
async function addDeviceInstance(cloud: string) {
  const params = {
    self_deployed: "true",
    auth_type: "Device Code",
    auth_id: DEMO_PUBLIC_CLIENT_ID,
    tenant_id: DEMO_TENANT_ID,
    azure_cloud: cloud,
    proxy: "true",
  };
  const args = ["instance", "add", "graph", "--integration", "microsoft-graph-api"];
  for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
  ok(await cli(args));
}

async function authStart(): Promise<{ userCode: string; verificationUri: string; readable: string }> {
  const started = ok(await cli(["run", "msgraph-api-auth-start", "--instance", "graph", "--json"]));
  const parsed = JSON.parse(started.stdout);
  return {
    userCode: parsed.outputs.DeviceCode.UserCode,
    verificationUri: parsed.outputs.DeviceCode.VerificationUri,
    readable: parsed.readable,
  };
}

const deviceTokenRequests = () =>
  emulator.tokenRequests().filter((request) => request.grantType?.includes("device_code"));

describe("device code", { timeout: 180_000 }, () => {
  it.each([
    ["Worldwide", "login.microsoftonline.com", "graph.microsoft.com"],
    ["US GCC-High", "login.microsoftonline.us", "graph.microsoft.us"],
  ])(
    "%s: auth-start prints the code and the notice, auth-complete redeems it once, commands then work",
    async (cloud, loginHost, graphHost) => {
      await addDeviceInstance(cloud);
      const { userCode, verificationUri, readable } = await authStart();
      expect(readable).toContain(`**${userCode}**`);
      expect(readable).toContain(verificationUri);
      expect(readable).toContain("phishing");
      const start = emulator.requests.find((request) => request.path.endsWith("/oauth2/v2.0/devicecode"));
      expect(start?.host).toBe(loginHost);

      const early = await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]);
      expect(early.code).toBe(1);
      expect(early.stderr).toContain("not finished yet");
      expect(early.stderr).toContain("msgraph-api-auth-complete");

      emulator.approveDeviceCode(userCode, DEMO_ADMIN_UPN);
      const completed = ok(await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]));
      expect(completed.stdout).toContain("✅ Authorization completed successfully.");
      const me = ok(
        await cli(["run", "msgraph-api-request", "resource=/me", "--instance", "graph", "--json"]),
      );
      expect(JSON.parse(me.stdout).raw.userPrincipalName).toBe(DEMO_ADMIN_UPN);
      expect(
        emulator.requests.filter((request) => request.path === "/v1.0/me").map((request) => request.host),
      ).toEqual([graphHost]);

      // The RFC 8628 grant, with the device_code field; a public client sends no secret.
      const polls = deviceTokenRequests();
      expect(polls).toHaveLength(2);
      expect(polls.every((request) => request.deviceCodeField === "device_code")).toBe(true);
      expect(polls.every((request) => request.host === loginHost)).toBe(true);
    },
  );

  it("refresh tokens keep working and rotate in later processes", async () => {
    await addDeviceInstance("Worldwide");
    const { userCode } = await authStart();
    emulator.approveDeviceCode(userCode, DEMO_ADMIN_UPN);
    emulator.setTokenLifetime(60); // never reusable: every command refreshes
    ok(await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-api-auth-test", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-api-request", "resource=/me", "--instance", "graph"]));
    expect(emulator.tokenRequests().map((request) => request.grantType)).toEqual([
      expect.stringContaining("device_code"),
      "refresh_token",
      "refresh_token",
    ]);
  });

  it("says to start again when the code expired, and reports a declined sign-in", async () => {
    await addDeviceInstance("Worldwide");
    const first = await authStart();
    emulator.expireDeviceCode(first.userCode);
    const expired = await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain("msgraph-api-auth-start");

    const second = await authStart();
    emulator.declineDeviceCode(second.userCode);
    const declined = await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]);
    expect(declined.code).toBe(1);
    expect(declined.stderr).toMatch(/declined/i);
  });

  it("auth-reset forgets the device sign-in: the next command sends no earlier token", async () => {
    await addDeviceInstance("Worldwide");
    const { userCode } = await authStart();
    emulator.approveDeviceCode(userCode, DEMO_ADMIN_UPN);
    ok(await cli(["run", "msgraph-api-auth-complete", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-api-auth-reset", "--instance", "graph"]));
    emulator.clearRequests();
    const after = await cli(["run", "msgraph-api-request", "resource=/me", "--instance", "graph"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("msgraph-api-auth-start");
    expect(emulator.tokenRequests()).toHaveLength(0);
    expect(emulator.requests.filter((request) => request.path === "/v1.0/me")).toHaveLength(0);
  });

  it("in Chromium: auth-start → devicelogin → sign-in → auth-complete wait=true", async () => {
    await addDeviceInstance("Worldwide");
    const { userCode, verificationUri } = await authStart();
    // The verification page is on the login host, reached through the emulator's proxy.
    const context = await browser.newContext({
      proxy: { server: emulator.proxyUrl! },
      ignoreHTTPSErrors: true,
    });
    const page = await context.newPage();
    await page.goto(verificationUri);
    await page.fill("#otc", userCode);
    await page.click("#next");
    await page.fill("#username", DEMO_ADMIN_UPN);
    await page.fill("#password", DEMO_USER_PASSWORD);
    await page.click("#signin");
    await page.waitForLoadState();
    if (await page.locator("#accept").count()) await page.click("#accept");
    await page.waitForSelector("text=You have signed in");
    await context.close();
    const completed = ok(await cli(["run", "msgraph-api-auth-complete", "wait=true", "--instance", "graph"]));
    expect(completed.stdout).toContain("✅ Authorization completed successfully.");
    ok(await cli(["run", "msgraph-api-request", "resource=/me", "--instance", "graph"]));
  });
});
