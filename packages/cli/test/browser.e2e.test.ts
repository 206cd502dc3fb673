import { spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import {
  DEMO_ADMIN_UPN,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.js";
import { BIN, type CliRun, runCli, tempHome } from "./helpers.js";

// The demo app registers this redirect URI. For loopback redirect URIs Entra ignores the port (Microsoft identity
// platform, "Redirect URI restrictions": localhost exceptions; RFC 8252 §7.3), and so does the emulator: `msint
// login` runs on a free port of each run, never on a fixed one another service may hold.
const REDIRECT_URI = "http://localhost:8400/callback";

/** A port nobody listens on right now (the kernel's pick). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let emulator: RunningEmulator;
let browser: Browser;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  // Rotated refresh tokens may not be reused: a command that sent an old one would fail.
  emulator = await startEmulator({ port: 0, refreshTokenReuse: "reject", proxy: true });
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

const env = () => ({
  MSINT_HOME: home,
  DEMO_SECRET: DEMO_CLIENT_SECRET,
  HTTPS_PROXY: emulator.proxyUrl!,
  NO_PROXY: "127.0.0.1,localhost",
  NODE_EXTRA_CA_CERTS: emulator.caCertFile!,
});
const cli = (args: string[]) => runCli(args, env());

function ok(result: CliRun): CliRun {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

async function addAuthCodeInstance(name: string, cloud?: string, redirectUri = REDIRECT_URI) {
  const cloudParams = cloud
    ? ["--param", `azure_cloud=${cloud}`, "--param", "proxy=true"]
    : [
        "--param",
        "azure_cloud=Custom",
        "--param",
        `azure_ad_endpoint=${emulator.url}`,
        "--param",
        `server_url=${emulator.url}`,
      ];
  ok(
    await cli([
      "instance",
      "add",
      name,
      "--integration",
      "msgraph-user",
      "--param",
      "self_deployed=true",
      "--param",
      "auth_type=Authorization Code",
      "--param",
      `tenant_id=${DEMO_TENANT_ID}`,
      "--param",
      `auth_id=${DEMO_CLIENT_ID}`,
      "--param",
      "enc_key=env:DEMO_SECRET",
      "--param",
      `redirect_uri=${redirectUri}`,
      ...cloudParams,
    ]),
  );
}

/** Signs in on the emulator's pages as the demo admin and accepts the consent page when it appears. */
async function signInAndConsent(page: Page) {
  await page.fill("#username", DEMO_ADMIN_UPN);
  await page.fill("#password", DEMO_USER_PASSWORD);
  await page.click("#signin");
  await page.waitForLoadState();
  if (await page.locator("#accept").count()) await page.click("#accept");
}

const tokenGrants = () => emulator.tokenRequests().map((request) => request.grantType);

// Several CLI processes and a browser per case: generous on a loaded two-core machine.
describe("authorization code in Chromium", { timeout: 180_000 }, () => {
  it("generate-login-url → sign-in → consent → redirect → the redirected URL pasted → auth-test, with refresh tokens rotating", async () => {
    await addAuthCodeInstance("graph");
    const generated = ok(
      await cli(["run", "msgraph-user-generate-login-url", "consent=true", "--instance", "graph", "--json"]),
    );
    const loginUrl = new URL(JSON.parse(generated.stdout).outputs.AuthorizationCode.LoginUrl);
    expect(loginUrl.searchParams.get("response_type")).toBe("code");
    expect(loginUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(loginUrl.searchParams.get("prompt")).toBe("consent");
    expect(loginUrl.searchParams.get("scope")).toContain("offline_access");

    const context = await browser.newContext();
    const page = await context.newPage();
    let redirected = "";
    await page.route("http://localhost:8400/**", async (route) => {
      redirected = route.request().url();
      await route.fulfill({ contentType: "text/html", body: "<h1>redirected</h1>" });
    });
    await page.goto(loginUrl.toString());
    await signInAndConsent(page);
    await page.waitForSelector("h1:text('redirected')");
    await context.close();
    const redirect = new URL(redirected);
    expect(redirect.searchParams.get("state")).toBe(loginUrl.searchParams.get("state"));
    expect(redirect.searchParams.get("session_state")).toBeTruthy();

    // Access tokens that are never reusable force every command through the refresh token.
    emulator.setTokenLifetime(60);
    ok(await cli(["instance", "set", "graph", "--param", `auth_code=${redirected}`]));
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-user-list", "limit=1", "--instance", "graph"]));
    ok(await cli(["run", "msgraph-user-list", "limit=1", "--instance", "graph"]));
    expect(tokenGrants()).toEqual(["authorization_code", "refresh_token", "refresh_token"]);

    // After a reset no earlier code or token is sent again.
    ok(await cli(["run", "msgraph-user-auth-reset", "--instance", "graph"]));
    emulator.clearRequests();
    const after = await cli(["run", "msgraph-user-list", "--instance", "graph"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("msgraph-user-generate-login-url");
    expect(emulator.tokenRequests()).toHaveLength(0);
  });

  it("msint login completes the flow on the loopback redirect URI without copy-paste", async () => {
    const redirectUri = `http://localhost:${await freePort()}/callback`;
    await addAuthCodeInstance("graph", undefined, redirectUri);
    const child = spawn(process.execPath, [BIN, "login", "graph", "--timeout", "90"], {
      env: { ...process.env, ...env() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const loginUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        const match = /(http:\/\/127\.0\.0\.1:\d+\/[^\s]+\/oauth2\/v2\.0\/authorize\?[^\s]+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on("exit", () => reject(new Error(`msint login exited early: ${stderr}`)));
    });
    const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
    expect(new URL(loginUrl).searchParams.get("redirect_uri")).toBe(redirectUri);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(loginUrl);
    await signInAndConsent(page);
    await page.waitForSelector("h1:text('Signed in')");
    await context.close();
    expect(await exited).toBe(0);
    expect(stdout).toContain("✅ Success!");
    expect(stderr).toBe("");
    expect(tokenGrants()).toEqual(["authorization_code"]);
    // A later process works from the stored tokens.
    ok(await cli(["run", "msgraph-user-get", "user=alexw@contoso.onmicrosoft.com", "--instance", "graph"]));
  });

  it.each([
    ["Worldwide", "login.microsoftonline.com", "graph.microsoft.com"],
    ["US GCC-High", "login.microsoftonline.us", "graph.microsoft.us"],
  ])("%s: sign-in on %s through the proxy, then Graph at %s", async (cloud, loginHost, graphHost) => {
    await addAuthCodeInstance("graph", cloud);
    const generated = ok(
      await cli(["run", "msgraph-user-generate-login-url", "--instance", "graph", "--json"]),
    );
    const loginUrl = new URL(JSON.parse(generated.stdout).outputs.AuthorizationCode.LoginUrl);
    expect(loginUrl.host).toBe(loginHost);
    // Chromium reaches the cloud's login host through the emulator's proxy; the redirect to the loopback
    // redirect URI fails to load there, but its URL is what a user copies.
    const context = await browser.newContext({
      proxy: { server: emulator.proxyUrl! },
      ignoreHTTPSErrors: true,
    });
    const page = await context.newPage();
    await page.goto(loginUrl.toString());
    await signInAndConsent(page);
    await page.waitForURL(/^http:\/\/localhost:8400\/callback\?/);
    const redirected = page.url();
    await context.close();
    ok(await cli(["instance", "set", "graph", "--param", `auth_code=${redirected}`]));
    ok(await cli(["run", "msgraph-user-list", "limit=1", "--instance", "graph"]));
    const tokenRequest = emulator.tokenRequests()[0];
    expect(tokenRequest?.host).toBe(loginHost);
    expect(tokenRequest?.grantType).toBe("authorization_code");
    expect(
      emulator.requests.filter((request) => request.path === "/v1.0/users").map((request) => request.host),
    ).toEqual([graphHost]);
  });

  it("a second redemption of the same code says to generate a new login URL (AADSTS54005)", async () => {
    await addAuthCodeInstance("graph");
    const generated = ok(
      await cli(["run", "msgraph-user-generate-login-url", "--instance", "graph", "--json"]),
    );
    const loginUrl = JSON.parse(generated.stdout).outputs.AuthorizationCode.LoginUrl as string;
    const context = await browser.newContext();
    const page = await context.newPage();
    let redirected = "";
    await page.route("http://localhost:8400/**", async (route) => {
      redirected = route.request().url();
      await route.fulfill({ contentType: "text/html", body: "<h1>redirected</h1>" });
    });
    await page.goto(loginUrl);
    await signInAndConsent(page);
    await page.waitForSelector("h1:text('redirected')");
    await context.close();
    const code = new URL(redirected).searchParams.get("code")!;
    // The bare code works too; a second instance redeeming the same code is refused.
    await addAuthCodeInstance("copy");
    ok(await cli(["instance", "set", "graph", "--param", `auth_code=${code}`]));
    ok(await cli(["instance", "set", "copy", "--param", `auth_code=${code}`]));
    ok(await cli(["run", "msgraph-user-auth-test", "--instance", "graph"]));
    const reused = await cli(["run", "msgraph-user-auth-test", "--instance", "copy"]);
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain("AADSTS54005");
    expect(reused.stderr).toContain("msgraph-user-generate-login-url");
    expect(reused.stderr).not.toContain(code);
  });
});
