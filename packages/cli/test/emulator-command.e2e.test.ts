import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import {
  DEMO_BROKER_APP_REGISTRATION_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, tempHome } from "./helpers.js";

// `msint emulator` as a newcomer runs it: a real process, its banner read from stdout, its printed instance lines
// pasted into a shell as they are.

let child: ChildProcess;
let output = "";
let home: { home: string; cleanup: () => Promise<void> };

function waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = pattern.exec(output);
      if (match) return resolve(match);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} in:\n${output}`));
      setTimeout(check, 50);
    };
    check();
  });
}

/** Runs one pasted line in bash, `msint` being this build. */
function paste(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = line.replace(/^msint /, `"${process.execPath}" "${BIN}" `);
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", command],
      { env: { ...process.env, MSINT_HOME: home.home, MSINT_LOG: undefined }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  home = await tempHome();
  child = spawn(process.execPath, [BIN, "emulator", "--log", "--instances", "msgraph-user"], {
    env: { ...process.env, MSINT_LOG: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  await waitForOutput(/msint run msgraph-user-test --instance msgraph-user-certificate/);
}, 90_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  await new Promise((resolve) => child?.once("close", resolve));
  await home?.cleanup();
});

describe("msint emulator", () => {
  it("prints every demo credential, one flow each", () => {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
    expect(output).toContain(
      `--param tenant_id=${DEMO_TENANT_ID} --param auth_id=${DEMO_CLIENT_ID} --param enc_key=${DEMO_CLIENT_SECRET}`,
    );
    expect(output).toContain(`Public client (Device Code): --param auth_id=${DEMO_PUBLIC_CLIENT_ID}`);
    expect(output).toMatch(new RegExp(`Sign-in user: \\S+@\\S+ / ${DEMO_USER_PASSWORD}`));
    expect(output).toMatch(
      /--param certificate_thumbprint=[0-9A-F]{40}\n\s+--param private_key=file:\/\S+\.pem/,
    );
    expect(output).toContain(`export IDENTITY_ENDPOINT=${url}/msi/token IDENTITY_HEADER=`);
    expect(output).toContain(`--param auth_id=${DEMO_BROKER_APP_REGISTRATION_ID}@${url}/obtain-token`);
  });

  it("writes the certificate app's key to a file only its owner reads", async () => {
    const path = /private_key=file:(\/\S+\.pem)/.exec(output)![1]!;
    expect(existsSync(path)).toBe(true);
    const { statSync, readFileSync } = await import("node:fs");
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("-----BEGIN PRIVATE KEY-----");
  });

  it("prints instance lines that work as pasted (client secret and certificate), and logs each request", async () => {
    const lines = output.split("\n").filter((line) => line.startsWith("msint "));
    for (const name of ["msgraph-user-client-credentials", "msgraph-user-certificate"]) {
      const add = lines.find((line) => line.startsWith(`msint instance add ${name} `));
      expect(add, `no instance line for ${name}`).toBeDefined();
      const added = await paste(add!);
      expect(added.stderr).toBe("");
      expect(added.code).toBe(0);
      const tested = await paste(`msint run msgraph-user-test --instance ${name}`);
      expect(tested.stderr).toBe("");
      expect(tested.code).toBe(0);
      expect(tested.stdout).toContain(
        "✅ Success! Microsoft Graph User authenticated with Client Credentials",
      );
      expect(tested.stdout).toMatch(/- Microsoft Graph: GET 127\.0\.0\.1:\d+\/v1\.0\/users → 200/);
    }
    // --log: one line per request served, token requests with their grant and client, API requests with the double.
    await waitForOutput(/GET 127\.0\.0\.1:\d+\/v1\.0\/users → 200 \(graph\)/);
    expect(output).toMatch(
      new RegExp(
        `POST 127\\.0\\.0\\.1:\\d+/${DEMO_TENANT_ID}/oauth2/v2\\.0/token → 200 client_credentials client ${DEMO_CLIENT_ID}`,
      ),
    );
    // The secret sent in the token requests' forms never reaches the log lines.
    const logLines = output.split("\n").filter((line) => / → \d{3}/.test(line));
    expect(logLines.length).toBeGreaterThan(3);
    for (const line of logLines) expect(line).not.toContain(DEMO_CLIENT_SECRET);
  }, 120_000);
});
