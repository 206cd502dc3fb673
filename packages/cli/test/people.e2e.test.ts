/**
 * The CLI as a person meets it (issue 15): version, help on integration commands, descriptions of integrations,
 * JSON everywhere data is printed and for errors, the two human formats, shell-safe next-page lines, shell
 * completion run in a real bash, device-code progress and expiry, and login --open with a fake browser.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliRun, graphInstanceArgs, runCli, tempHome } from "./helpers.js";

const run = promisify(execFile);

let emulator: RunningEmulator;
let home: string;
let cleanup: () => Promise<void>;
/** A directory with an `msint` executable that runs this build, for shells. */
let binDir: string;

const env = (extra: Record<string, string> = {}) => ({
  MSINT_HOME: home,
  GRAPH_SECRET: DEMO_CLIENT_SECRET,
  MSINT_FORMAT: undefined,
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, env(extra), { timeoutMs: 60_000 });

function ok(result: CliRun): CliRun {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, deviceCodeLifetimeSeconds: 7, deviceCodeIntervalSeconds: 1 });
  ({ home, cleanup } = await tempHome());
  binDir = join(home, "bin");
  await mkdir(binDir);
  await writeFile(join(binDir, "msint"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(binDir, "msint"), 0o755);
  ok(await cli(graphInstanceArgs("graph", emulator.url, "env:GRAPH_SECRET")));
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await cleanup?.();
});

describe("discoverable", { timeout: 60_000 }, () => {
  it("msint --version prints the package's version", async () => {
    const { version } = JSON.parse(await readFile(join(BIN, "..", "..", "package.json"), "utf8"));
    expect(ok(await cli(["--version"])).stdout.trim()).toBe(version);
  });

  it("msint run <command> --help and msint help <command> describe the integration command", async () => {
    const help = ok(await cli(["run", "msgraph-user-list", "--help"])).stdout;
    expect(help).toContain("Lists the users of the tenant.");
    expect(help).toMatch(/limit \(default 50\)\n\s+msint only: users per page/);
    expect(help).toContain("MSGraphUser.UserPrincipalName");
    expect(help).toContain("msint run msgraph-user-list limit=50 --instance NAME");
    // With the instance, the example names it.
    const withInstance = ok(await cli(["help", "msgraph-user-get"])).stdout;
    expect(withInstance).toMatch(/user \(required\)/);
    expect(withInstance).toContain("msint run msgraph-user-get user=<user> --instance NAME");
    const complete = ok(await cli(["run", "msgraph-api-auth-complete", "--help"])).stdout;
    expect(complete).toContain("wait (one of true, false)");
    const unknown = await cli(["help", "msgraph-user-nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("neither an msint command nor a command of an integration");
    // msint's own commands still have commander's help.
    expect(ok(await cli(["help", "instance", "add"])).stdout).toContain("--integration <id>");
  });

  it("msint integrations <id> [--json] shows flows with their parameters, other parameters and commands", async () => {
    const text = ok(await cli(["integrations", "msgraph-user"])).stdout;
    expect(text).toContain("Client Credentials");
    expect(text).toContain("--param self_deployed=true --param auth_type='Client Credentials'");
    expect(text).toMatch(/msgraph-user-get\s+user=… \[properties=…\]/);
    const json = JSON.parse(ok(await cli(["integrations", "msgraph-user", "--json"])).stdout);
    const flows = Object.fromEntries(
      json.flows.map((flow: { name: string; required: { key: string }[] }) => [
        flow.name,
        flow.required.map((parameter) => parameter.key),
      ]),
    );
    expect(flows).toEqual({
      "Cortex XSOAR application": ["auth_id", "tenant_id", "enc_key"],
      "Client Credentials": ["tenant_id", "auth_id"],
      "Authorization Code": ["tenant_id", "auth_id", "redirect_uri"],
      "Azure Managed Identities": [],
      // msint's extensions, offered wherever client credentials are (docs/supported-flows.md).
      "Workload Identity": [],
      Environment: [],
    });
    expect(json.flows[1].credential.oneOf).toEqual([["enc_key"], ["certificate_thumbprint", "private_key"]]);
    const get = json.commands.find((command: { name: string }) => command.name === "msgraph-user-get");
    expect(get.arguments[0]).toMatchObject({ name: "user", required: true });
    const unknown = await cli(["integrations", "nope", "--json"]);
    expect(unknown.code).toBe(2);
  });

  it("instance add --integration <id> --help lists that integration's parameters by flow", async () => {
    const help = ok(await cli(["instance", "add", "--integration", "azure-data-explorer", "--help"])).stdout;
    expect(help).toContain("Usage: msint instance add");
    expect(help).toContain("Parameters of Azure Data Explorer, by flow:");
    expect(help).toMatch(/Device Code\n\s+msint instance add NAME --integration azure-data-explorer/);
    expect(help).toContain("cluster_url");
  });
});

describe("conventional output", { timeout: 60_000 }, () => {
  it("--json on instance list and show (secrets never shown) and on integrations", async () => {
    const list = JSON.parse(ok(await cli(["instance", "list", "--json"])).stdout);
    expect(list).toEqual([
      {
        name: "graph",
        integration: "msgraph-user",
        integrationName: "Microsoft Graph User",
        flow: "Client Credentials",
        cloud: "Custom",
        readable: true,
      },
    ]);
    const show = ok(await cli(["instance", "show", "graph", "--json"], { GRAPH_SECRET: "s3cr3t-value" }));
    const parsed = JSON.parse(show.stdout);
    expect(parsed.parameters).toContainEqual({
      key: "enc_key",
      name: "Client Secret",
      value: "env:GRAPH_SECRET",
    });
    expect(show.stdout).not.toContain("s3cr3t-value");
    expect(Array.isArray(JSON.parse(ok(await cli(["integrations", "--json"])).stdout))).toBe(true);
  });

  it("under --json an error is one JSON object on stderr, with the usual exit codes", async () => {
    const missing = await cli(["run", "msgraph-user-list", "--instance", "nope", "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    const error = JSON.parse(missing.stderr);
    expect(Object.keys(error)).toEqual(["error"]);
    expect(error.error).toMatchObject({ code: "usage_error", hint: null });
    expect(error.error.message).toContain('There is no instance named "nope"');

    const usage = await cli(["instance", "list", "--bogus", "--json"]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr).error).toMatchObject({ code: "usage_error" });
    expect(JSON.parse(usage.stderr).error.message).toContain("--bogus");

    // A failure with a "How to fix" part: the hint is its own field.
    const denied = await cli(["run", "msgraph-user-auth-test", "--instance", "graph", "--json"], {
      GRAPH_SECRET: "wrong-secret",
    });
    expect(denied.code).toBe(1);
    const failure = JSON.parse(denied.stderr).error;
    expect(failure.code).toMatch(/^AADSTS/);
    expect(failure.hint).toMatch(/Client Secret/);
    expect(failure.message).not.toContain("How to fix");
  });

  it("markdown (the War Room tables) when not on a terminal, aligned columns with --format table", async () => {
    const markdown = ok(await cli(["instance", "list"])).stdout;
    expect(markdown).toContain("### Instances");
    expect(markdown).toContain("|Name|Integration|Flow|Azure Cloud|");
    const table = ok(await cli(["--format", "table", "instance", "list"])).stdout;
    expect(table).not.toContain("|");
    expect(table.split("\n").slice(1, 3)).toEqual([
      "NAME   INTEGRATION           FLOW                AZURE CLOUD",
      "graph  Microsoft Graph User  Client Credentials  Custom",
    ]);
    const users = ok(
      await cli(["run", "msgraph-user-list", "limit=2", "--instance", "graph", "--format=table"]),
    ).stdout;
    expect(users).toMatch(/^All Graph Users\nDISPLAYNAME +USERPRINCIPALNAME/);
    const bad = await cli(["instance", "list", "--format", "html"]);
    expect(bad.code).toBe(2);
  });

  it("the next-page line, pasted into bash as printed, returns the next page", async () => {
    const first = ok(await cli(["run", "msgraph-user-list", "limit=2", "--instance", "graph", "--json"]));
    const readable: string = JSON.parse(first.stdout).readable;
    const line = /More users: (msint run .*)$/m.exec(readable)?.[1];
    expect(line).toMatch(/^msint run msgraph-user-list next_page='https?:\/\/.*\$top=2.*' --instance graph$/);
    // The line as bash reads it (with msint on the PATH): $select, $top and & survive.
    const { stdout } = await run("bash", ["-c", `${line} --json`], {
      env: {
        ...process.env,
        PATH: `${binDir}:${process.env["PATH"]}`,
        MSINT_HOME: home,
        GRAPH_SECRET: DEMO_CLIENT_SECRET,
      },
    });
    // As XSOAR's, the list's context holds a {NextPage} entry before the users.
    const users = (text: string) =>
      (JSON.parse(text).outputs.MSGraphUser as { ID?: string }[]).filter((entry) => entry.ID !== undefined);
    const second = users(stdout);
    const firstIds = users(first.stdout).map((user) => user.ID);
    expect(second).toHaveLength(2);
    expect(second.map((user) => user.ID).some((id) => firstIds.includes(id))).toBe(false);
  });
});

describe("completion", { timeout: 60_000 }, () => {
  /** Runs bash with the completion script sourced, completes `line` as if TAB were pressed at its end. */
  async function bashComplete(line: string): Promise<string[]> {
    const script = ok(await cli(["completion", "bash"])).stdout;
    await writeFile(join(home, "completion.bash"), script);
    const words = line.split(" ");
    const program = [
      `source ${JSON.stringify(join(home, "completion.bash"))}`,
      // bash's own word splitting of the line, as readline would pass it (COMP_WORDBREAKS included).
      `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
      `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(" ")}); COMP_CWORD=${words.length - 1}`,
      "_msint",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${…}, not a template
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join("\n");
    const { stdout } = await run("bash", ["-c", program], {
      env: { ...process.env, PATH: `${binDir}:${process.env["PATH"]}`, MSINT_HOME: home },
    });
    return stdout.split("\n").filter(Boolean);
  }

  it("completes commands, integration ids, instance names and argument names in a real bash", async () => {
    expect(await bashComplete("msint ins")).toEqual(["instance"]);
    expect(await bashComplete("msint instance s")).toEqual(["set", "show"]);
    expect(await bashComplete("msint instance add x --integration msgraph-u")).toEqual(["msgraph-user"]);
    expect(await bashComplete("msint run msgraph-user-list --instance gr")).toEqual(["graph"]);
    expect(await bashComplete("msint instance show ")).toEqual(["graph"]);
    expect(await bashComplete("msint run --instance graph msgraph-user-l")).toEqual(["msgraph-user-list"]);
    expect(await bashComplete("msint run msgraph-user-list --instance graph li")).toEqual(["limit="]);
    expect(await bashComplete("msint run msgraph-user-get --instance graph ")).toEqual([
      "user=",
      "properties=",
    ]);
    expect(await bashComplete("msint integrations azure-storage-q")).toEqual(["azure-storage-queue"]);
    expect(await bashComplete("msint completion z")).toEqual(["zsh"]);
  });

  it("prints zsh and fish scripts that call the same helper", async () => {
    expect(ok(await cli(["completion", "zsh"])).stdout).toContain("msint __complete --line");
    expect(ok(await cli(["completion", "fish"])).stdout).toContain("complete -c msint");
    expect((await cli(["completion", "tcsh"])).code).toBe(2);
  });
});

describe("device code waits as long as the code lives", { timeout: 90_000 }, () => {
  it("shows where to sign in, the code and the time left, then says nobody signed in", async () => {
    const args = ["instance", "add", "device", "--integration", "microsoft-graph-api"];
    const params = {
      self_deployed: "true",
      auth_type: "Device Code",
      auth_id: DEMO_PUBLIC_CLIENT_ID,
      tenant_id: DEMO_TENANT_ID,
      azure_cloud: "Custom",
      azure_ad_endpoint: emulator.url,
      server_url: emulator.url,
    };
    for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
    ok(await cli(args));
    const started = JSON.parse(
      ok(await cli(["run", "msgraph-api-auth-start", "--instance", "device", "--json"])).stdout,
    );
    const { UserCode, VerificationUri } = started.outputs.DeviceCode;
    expect(started.readable).toContain("msint run msgraph-api-auth-complete wait=true --instance device");
    const waited = await cli(["run", "msgraph-api-auth-complete", "wait=true", "--instance", "device"]);
    expect(waited.code).toBe(1);
    const lines = waited.stderr.split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^Waiting for the sign-in at ${VerificationUri.replace(/[.?/]/g, "\\$&")} with the code ${UserCode} \\(code expires in 0:0\\d\\)$`,
      ),
    );
    expect(waited.stderr).toContain(
      `The code expired: nobody completed the sign-in at ${VerificationUri} with the code ${UserCode} while it was valid. Run msint run msgraph-api-auth-start --instance device again for a new code.`,
    );
    expect(waited.stderr).not.toMatch(/network|did not finish within/);
  });
});

describe("msint login --open", { timeout: 60_000 }, () => {
  it("hands the sign-in URL to $BROWSER", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const args = ["instance", "add", "code", "--integration", "msgraph-user"];
    const params = {
      self_deployed: "true",
      auth_type: "Authorization Code",
      tenant_id: DEMO_TENANT_ID,
      auth_id: DEMO_CLIENT_ID,
      enc_key: "env:GRAPH_SECRET",
      redirect_uri: `http://localhost:${port}/callback`,
      azure_cloud: "Custom",
      azure_ad_endpoint: emulator.url,
      server_url: emulator.url,
    };
    for (const [key, value] of Object.entries(params)) args.push("--param", `${key}=${value}`);
    ok(await cli(args));
    const opened = join(home, "opened.txt");
    const browser = join(home, "fake-browser.sh");
    await writeFile(browser, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(opened)}\n`);
    await chmod(browser, 0o755);
    const login = await cli(["login", "code", "--open", "--timeout", "3"], { BROWSER: browser });
    expect(login.code).toBe(2);
    expect(login.stderr).toContain("No sign-in arrived within 3 s");
    const url = await readFile(opened, "utf8");
    expect(url).toMatch(new RegExp(`^${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/authorize\\?`));
    expect(login.stdout).toContain(url);
  });
});
