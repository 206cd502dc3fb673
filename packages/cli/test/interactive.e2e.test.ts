/**
 * `msint instance add NAME --integration ID` on a real terminal (a tmux pseudo-terminal): the flow is chosen
 * first, then that flow's parameters are asked for, the secret without echo; what is stored works.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli, tempHome } from "./helpers.js";

const exec = promisify(execFile);
const socket = `msint-interactive-${process.pid}`;
const tmux = (...args: string[]) => exec("tmux", ["-L", socket, ...args]);

let emulator: RunningEmulator;
let home: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  ({ home, cleanup } = await tempHome());
});
afterAll(async () => {
  await tmux("kill-server").catch(() => undefined);
  await emulator?.close();
  await cleanup?.();
});

const screen = async () => (await tmux("capture-pane", "-p", "-t", "add", "-S", "-200")).stdout;

/** Waits until the terminal shows `text` (the program asked its question). */
async function waitFor(text: string): Promise<string> {
  for (let tries = 0; tries < 300; tries++) {
    const shown = await screen();
    if (shown.includes(text)) return shown;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The terminal never showed "${text}":\n${await screen()}`);
}

async function answer(text: string): Promise<void> {
  if (text) await tmux("send-keys", "-t", "add", "-l", text);
  await tmux("send-keys", "-t", "add", "Enter");
}

describe("instance add on a terminal", { timeout: 120_000 }, () => {
  it("asks for the flow, then its parameters, hides the secret, and stores a working instance", async () => {
    const command = `env MSINT_HOME='${home}' '${process.execPath}' '${BIN}' instance add tty --integration msgraph-user; echo "EXIT=$?"; sleep 600`;
    await tmux("new-session", "-d", "-x", "220", "-y", "60", "-s", "add", command);

    const menu = await waitFor("? How should it authenticate?");
    expect(menu).toContain("1) Cortex XSOAR application");
    expect(menu).toContain("2) Client Credentials");
    // The seed's four flows of Microsoft Graph User, then msint's Workload Identity and Environment.
    await waitFor("Choose 1-6 [1]:");
    await answer("2");
    await waitFor("? Tenant ID:");
    await answer(DEMO_TENANT_ID);
    await waitFor("? App/Client ID:");
    await answer("not-a-guid");
    // A bad value is explained and asked again.
    await waitFor("App/Client ID: is not a GUID.");
    await answer(DEMO_CLIENT_ID);
    await waitFor("? Which credential?");
    await answer("");
    await waitFor("? Client Secret (hidden):");
    await answer(DEMO_CLIENT_SECRET);
    const afterSecret = await waitFor("? Azure Cloud");
    expect(afterSecret).not.toContain(DEMO_CLIENT_SECRET);
    await answer("Custom");
    await waitFor("? Azure AD endpoint");
    await answer(emulator.url);
    await waitFor("? Server URL");
    await answer(emulator.url);
    const done = await waitFor("EXIT=");
    expect(done).toContain('Instance "tty" of Microsoft Graph User added.');
    expect(done).toContain("EXIT=0");
    expect(done).not.toContain(DEMO_CLIENT_SECRET);

    const shown = JSON.parse(
      (await runCli(["instance", "show", "tty", "--json"], { MSINT_HOME: home })).stdout,
    );
    expect(
      Object.fromEntries(shown.parameters.map((p: { key: string; value: unknown }) => [p.key, p.value])),
    ).toEqual({
      auth_id: DEMO_CLIENT_ID,
      tenant_id: "******** (set)", // shown masked: the same parameter holds the broker's Token
      enc_key: "******** (set)",
      self_deployed: true,
      auth_type: "Client Credentials",
      azure_cloud: "Custom",
      azure_ad_endpoint: emulator.url,
      server_url: emulator.url,
    });
    const test = await runCli(["run", "msgraph-user-auth-test", "--instance", "tty"], { MSINT_HOME: home });
    expect(test.stdout).toContain("Success");
    expect(test.code).toBe(0);
  });
});
