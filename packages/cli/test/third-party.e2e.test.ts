// Third-party integrations (src/discovery.ts): an npm package that declares `"msint": { "integration": true }`,
// installed in a project's node_modules, is listed by `msint integrations` and its commands run, in real msint
// processes against the emulator. A command of a built-in integration reads no node_modules folder.
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_CLIENT_SECRET, type RunningEmulator, startEmulator } from "@msint/entra-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorInstanceArgs, graphInstanceArgs, runCli, tempHome } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const KIT = join(here, "..", "..", "integration-kit");

/** Preloaded with --require: writes every folder read with readdirSync to MSINT_TRACE_DIRS when the process exits. */
const TRACE_DIRS = `
const fs = require("node:fs");
const read = fs.readdirSync;
const seen = [];
fs.readdirSync = function (path, ...rest) { seen.push(String(path)); return read.call(this, path, ...rest); };
process.on("exit", () => { if (process.env.MSINT_TRACE_DIRS) fs.writeFileSync(process.env.MSINT_TRACE_DIRS, seen.join("\\n")); });
`;

/** A third-party package as its author would publish it: CommonJS, @msint/integration-kit as its dependency. */
const CONTOSO_INDEX = `
const { defineIntegration, graph, tableToMarkdown } = require("@msint/integration-kit");
module.exports.default = defineIntegration({
  id: "contoso-directory",
  version: "1.2.3",
  displayName: "Contoso Directory",
  commandPrefix: "contoso-directory",
  description: "Lists the directory's users through Microsoft Graph.",
  flows: { xsoarApp: false, clientCredentials: true, deviceCode: false, authorizationCode: false, managedIdentities: false, nationalClouds: false },
  resource: graph({ application: [".default"], delegated: ["User.Read.All"] }),
  commands: {
    "contoso-directory-users": {
      description: "Lists users.",
      arguments: [],
      outputs: [{ path: "Contoso.User", type: "unknown", description: "The users." }],
      run: async (context) => {
        const response = await context.api.request({ method: "GET", path: "/v1.0/users" });
        const users = response.value ?? [];
        return { readable: tableToMarkdown("Contoso users", users), outputsPrefix: "Contoso.User", outputs: users, raw: response };
      },
    },
  },
});
`;

let emulator: RunningEmulator;
let project: string;
let home: string;
let cleanup: () => Promise<void>;
let tracer: string;

async function writePackage(dir: string, pkg: object, index: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify(pkg));
  await writeFile(join(dir, "index.cjs"), index);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  ({ home, cleanup } = await tempHome());
  project = join(home, "project");
  const modules = join(project, "node_modules");
  await mkdir(join(modules, "@msint"), { recursive: true });
  // The kit the package depends on, as npm would install it beside it.
  await symlink(KIT, join(modules, "@msint", "integration-kit"), "dir");
  await writePackage(
    join(modules, "contoso-msint-directory"),
    {
      name: "contoso-msint-directory",
      version: "1.2.3",
      main: "index.cjs",
      msint: { integration: true, id: "contoso-directory" },
    },
    CONTOSO_INDEX,
  );
  // Declares the contract but exports no integration: skipped with a warning that names it.
  await writePackage(
    join(modules, "@fabrikam", "broken-msint"),
    { name: "@fabrikam/broken-msint", version: "0.0.1", main: "index.cjs", keywords: ["msint-integration"] },
    "module.exports = { hello: 'world' };",
  );
  // An ordinary package: not an integration, never loaded.
  await writePackage(
    join(modules, "left-pad"),
    { name: "left-pad", version: "1.0.0", main: "index.cjs" },
    "throw new Error('an ordinary package must not be loaded');",
  );
  tracer = join(home, "trace-dirs.cjs");
  await writeFile(tracer, TRACE_DIRS);
});
afterAll(async () => {
  await emulator?.close();
  await cleanup?.();
});

const env = (extra: Record<string, string> = {}) => ({
  MSINT_HOME: join(home, "msint"),
  MSINT_CODE_CACHE: join(home, "code-cache"),
  ...extra,
});

describe("third-party integration packages", () => {
  it("msint integrations lists an installed package of the working directory's project", async () => {
    const result = await runCli(["integrations", "--json"], env(), { cwd: project, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as {
      id: string;
      displayName: string;
      flows: Record<string, string>;
    }[];
    const row = rows.find((entry) => entry.id === "contoso-directory");
    expect(row).toMatchObject({
      displayName: "Contoso Directory",
      flows: { clientCredentials: "yes", deviceCode: "no" },
    });
    // The built-in ones are all still there, first.
    expect(rows.findIndex((entry) => entry.id === "msgraph-user")).toBeLessThan(rows.indexOf(row!));
    // The broken one is named on stderr, not fatal, and no stack trace.
    expect(result.stderr).toContain("@fabrikam/broken-msint");
    expect(result.stderr).toContain("not an integration");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("MSINT_DISCOVERY=off lists the built-in integrations only", async () => {
    const result = await runCli(["integrations", "--json"], env({ MSINT_DISCOVERY: "off" }), {
      cwd: project,
    });
    expect(result.code).toBe(0);
    const ids = (JSON.parse(result.stdout) as { id: string }[]).map((entry) => entry.id);
    expect(ids).toContain("msgraph-user");
    expect(ids).not.toContain("contoso-directory");
  });

  it("MSINT_INTEGRATIONS_PATH finds a package folder from any working directory", async () => {
    const result = await runCli(
      ["integrations", "contoso-directory", "--json"],
      env({ MSINT_INTEGRATIONS_PATH: join(project, "node_modules", "contoso-msint-directory") }),
      { cwd: home },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("contoso-directory-users");
  });

  it("an instance of it is added and its command runs against the emulator", async () => {
    const add = await runCli(
      emulatorInstanceArgs("contoso", "contoso-directory", emulator.url, DEMO_CLIENT_SECRET),
      env(),
      { cwd: project, timeoutMs: 60_000 },
    );
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    emulator.clearRequests();
    const run = await runCli(["run", "contoso-directory-users", "--instance", "contoso", "--json"], env(), {
      cwd: project,
      timeoutMs: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // The package's own handler rendered the emulator's demo users.
    const output = JSON.parse(run.stdout) as { command: string; readable: string };
    expect(output.command).toBe("contoso-directory-users");
    expect(output.readable).toContain("### Contoso users");
    expect(output.readable).toContain("|Adele Vance|");
    // On the wire: a client-credentials token from the emulator, then GET /v1.0/users with it.
    expect(emulator.tokenRequests().length).toBeGreaterThan(0);
    const users = emulator.requests.filter((request) => request.path.startsWith("/v1.0/users"));
    expect(users.at(-1)).toMatchObject({ method: "GET", status: 200 });
    expect(users.at(-1)?.headers["authorization"]).toBe("Bearer <redacted>");
    expect(run.stdout).not.toContain(DEMO_CLIENT_SECRET);
  });

  it("an unknown integration id still fails with one clear message", async () => {
    const result = await runCli(
      ["instance", "add", "nope", "--integration", "contoso-nothing", "--param", "tenant_id=x"],
      env(),
      { cwd: project },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Unknown integration "contoso-nothing"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a command of a built-in integration reads no node_modules folder (the hot path does not discover)", async () => {
    const add = await runCli(graphInstanceArgs("graph", emulator.url, DEMO_CLIENT_SECRET), env(), {
      cwd: project,
    });
    expect(add.code).toBe(0);
    const trace = join(home, "dirs.txt");
    for (const file of ["cold", "warm"]) {
      const run = await runCli(
        ["run", "msgraph-user-auth-test", "--instance", "graph"],
        env({ MSINT_TRACE_DIRS: `${trace}.${file}` }),
        { cwd: project, nodeArgs: ["--require", tracer] },
      );
      expect(run.code).toBe(0);
    }
    expect(await readFile(`${trace}.warm`, "utf8")).not.toContain("node_modules");
    // The tracer works: a listing does read the project's node_modules.
    await runCli(["integrations"], env({ MSINT_TRACE_DIRS: `${trace}.list` }), {
      cwd: project,
      nodeArgs: ["--require", tracer],
    });
    expect(await readFile(`${trace}.list`, "utf8")).toContain(join(project, "node_modules"));
  });
});
