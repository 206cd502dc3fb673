#!/usr/bin/env node
// Writes a new integration package under integrations/<id>/ (manifest, a first real command, a test against the
// emulator, README, package files) and its changeset, builds it into the msint CLI (dev dependency, generated
// registry, the lockfile's two new links — nothing else of pnpm-lock.yaml changes), and prints what to do next.
// `pnpm gen integration` asks the questions and calls this script; CI calls it directly:
//
//   node scripts/new-integration.mjs --id contoso-users --name "Contoso Users" --prefix contoso-users \
//     --flows "yes, yes, no, yes, yes, no" --resource graph [--description "…"] [--install]
//
// --flows: the seed table's six cells in its column order (XSOAR Application, Client Credentials, Device Code,
// Auth code, Azure Managed Identities, Supports National Clouds): yes, no, "yes - device", "no - saas".
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  checkId,
  parseFlows,
  registerInLockfile,
  registerWithCli,
  writeBoilerplate,
  writeIfMissing,
} from "./lib/integration-files.mjs";
import { removedKeys } from "./lib/lockfile.mjs";
import { RESOURCE_NAMES, RESOURCE_TEMPLATES } from "./lib/resource-templates.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const pascal = (id) =>
  id
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
const camel = (id) => {
  const name = pascal(id);
  return name.charAt(0).toLowerCase() + name.slice(1);
};
const literal = (value) => JSON.stringify(value);

function manifestSource({ id, name, prefix, description, flows, template }) {
  const imports = ["defineIntegration", template.helper, ...(template.extraImports ?? [])].sort();
  const commandName = `${prefix}-${template.command.suffix}`;
  const handler = camel(template.command.suffix);
  return `import { ${imports.join(", ")} } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { ${handler} } from "./commands.js";

/** ${name}: ${description} */
export default defineIntegration({
  id: ${literal(id)},
  version: packageJson.version,
  displayName: ${literal(name)},
  commandPrefix: ${literal(prefix)},
  description: ${literal(description)},
  flows: {
    xsoarApp: ${literal(flows.xsoarApp)},
    clientCredentials: ${flows.clientCredentials},
    deviceCode: ${flows.deviceCode},
    authorizationCode: ${flows.authorizationCode},
    managedIdentities: ${literal(flows.managedIdentities)},
    nationalClouds: ${flows.nationalClouds},
  },
  resource: ${template.call},${template.parameters ? `\n  parameters: ${template.parameters},` : ""}
  commands: {
    ${literal(commandName)}: {
      description: ${literal(template.command.description)},
      arguments: [{ name: "limit", description: "The most entries to return (1-100).", defaultValue: "50" }],
      outputs: [{ path: "${pascal(id)}.${pascal(template.command.suffix.replace(/-list$/, ""))}", type: "unknown", description: "The entries returned." }],
      run: ${handler},
    },
  },
});
`;
}

function commandsSource({ id, prefix, template }) {
  const { command } = template;
  const request = [
    `method: ${literal(command.method)}`,
    `path: ${command.path}`,
    command.query ? `query: ${command.query}` : undefined,
    command.body ? `body: ${command.body}` : undefined,
    command.headers ? `headers: ${command.headers}` : undefined,
  ].filter(Boolean);
  return `import { type CommandContext, type CommandResult, limitArgument, tableToMarkdown } from "@msint/integration-kit";

type Entry = Record<string, unknown>;

/** \`${prefix}-${command.suffix}\`: ${command.method} ${command.doc ?? command.path.replace(/[`"]/g, "")}. */
export async function ${camel(command.suffix)}(context: CommandContext): Promise<CommandResult> {
  const limit = limitArgument(context, 100);
  const response = await context.api.request<{ ${command.listKey}?: Entry[] }>({
    ${request.join(",\n    ")},
  });
  const entries = (response?.${command.listKey} ?? []).slice(0, limit);
  return {
    readable: tableToMarkdown(${literal(command.title)}, entries),
    outputsPrefix: ${literal(`${pascal(id)}.${pascal(command.suffix.replace(/-list$/, ""))}`)},
    outputs: entries,
    raw: response,
  };
}
`;
}

function testSource({ name, prefix, flows, template }) {
  const commandName = `${prefix}-${template.command.suffix}`;
  const { test } = template;
  const sample = `{ ${literal(template.command.listKey)}: [{ id: "1", name: "sample" }] }`;
  // The flows row itself is checked by `pnpm check:flows` against the seed table, not restated here.
  const manifestTest = flows.clientCredentials
    ? `describe(${literal(`${name} manifest`)}, () => {
  it("offers the msint extensions Workload Identity and Environment, as every client-credentials integration does", () => {
    expect(integration.parameter("auth_type")?.options).toEqual(
      expect.arrayContaining(["Workload Identity", "Environment"]),
    );
    expect(integration.parameter("federated_token_file")?.displayName).toBe("Federated token file");
  });
});
`
    : "";
  if (test.fake) {
    return `import { fakeServiceHarness } from "@msint/integration-testing";
import { beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const harness = fakeServiceHarness(integration, {
  params: ${JSON.stringify(template.testParams)},
  handle: (call) => (call.query["sig"] ? { status: 200, body: ${sample} } : { status: 403, body: "AuthenticationFailed" }),
});
beforeEach(() => harness.clear());

${manifestTest}
describe(${literal(commandName)}, () => {
  it("sends the request on the wire and renders the entries", async () => {
    const result = await harness.run(${literal(commandName)});
    expect(harness.lastCall()).toMatchObject({ method: ${literal(template.command.method)}, host: ${literal(test.host)}, path: ${literal(test.path)} });
    expect(result.readable).toContain("|1|sample|");
  });

  it("names the Account SAS Token when it is missing", async () => {
    await expect(harness.run(${literal(commandName)}, {}, { sas_token: "" })).rejects.toThrow("Account SAS Token");
  });
});
`;
  }
  const run = flows.clientCredentials
    ? `harness.run(${literal(commandName)})`
    : `harness.runWithToken(${literal(commandName)}, {}, { roles: ${JSON.stringify(test.roles ?? [])} })`;
  const route = test.route
    ? `\n  harness.emulator.addRoute(${literal(template.command.method)}, ${literal(test.route)}, { resource: ${literal(test.routeResource)} }, (ctx) =>\n    ctx.json(200, ${sample}),\n  );`
    : "";
  const authError = flows.clientCredentials
    ? `
describe("auth errors", () => {
  it("a wrong client secret fails at the token endpoint", async () => {
    await expect(harness.run(${literal(commandName)}, {}, { enc_key: "wrong" })).rejects.toThrow("AADSTS7000215");
  });
});
`
    : "";
  return `import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {${test.resources ? `\n    resources: ${JSON.stringify(test.resources)},` : ""}
    params: ${JSON.stringify(template.testParams)},
  });${route}
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

${manifestTest}
describe(${literal(commandName)}, () => {
  it("sends the request on the wire and renders the entries", async () => {
    const result = await ${run};
    expect(harness.lastCall()).toMatchObject({ method: ${literal(template.command.method)}, host: ${literal(test.host)}, path: ${literal(test.path)} });
    expect(result.outputs).not.toHaveLength(0);
  });
});
${authError}`;
}

/**
 * The README until `pnpm docs` writes the full reference from the manifest (it carries the marker that lets
 * `pnpm docs` replace it): what it is, install, an example, its commands.
 */
function readmeSource({ id, name, prefix, description, template }) {
  const commandName = `${prefix}-${template.command.suffix}`;
  return `# @msint/${id}

<!-- Generated by \`pnpm docs\` from the manifest of @msint/${id}. Do not edit. -->

${name}: ${description} Command prefix \`${prefix}\`.

## Install

\`\`\`sh
npm install @msint/${id}
\`\`\`

The \`msint\` command line (\`@msint/cli\`) ships it; in code, \`import integration from "@msint/${id}"\` and run its
commands with \`runCommand\` from \`@msint/integration-kit\`.

## Example

\`\`\`sh
msint instance add ${prefix} --integration ${id}   # asks for the parameters of the flow you pick
msint run ${commandName} limit=10 --instance ${prefix}
\`\`\`

## Commands

- \`${commandName}\`: ${template.command.description}

Run \`pnpm docs\` for the full reference (flows, clouds, parameters, every command's arguments and outputs).
`;
}

/** The changeset that announces the new package (its first release is a minor one: 0.0.0 → 0.1.0). */
function changesetSource({ id, name, description }) {
  return `---
"@msint/${id}": minor
"@msint/cli": patch
---

New integration @msint/${id} (${name}): ${description} The msint CLI ships it.
`;
}

/** Writes the package; returns the files written. */
export function createIntegration(root, options) {
  const { id, name, prefix } = options;
  checkId(id, "--id");
  checkId(prefix, "--prefix");
  if (!name?.trim()) throw new Error("--name (the seed table's Integration Name) is required.");
  const template = RESOURCE_TEMPLATES[options.resource];
  if (!template)
    throw new Error(`--resource must be one of: ${RESOURCE_NAMES.join(", ")} (got "${options.resource}").`);
  const flows = parseFlows(options.flows);
  if (
    template.test.fake &&
    (flows.clientCredentials || flows.deviceCode || flows.authorizationCode || flows.xsoarApp)
  ) {
    throw new Error(
      'Azure Storage data-plane integrations authenticate with an account SAS token or a managed identity only: use --flows "no, no, no, no, yes|no, no".',
    );
  }
  const dir = join(root, "integrations", id);
  if (existsSync(join(dir, "src", "index.ts"))) throw new Error(`integrations/${id} already exists.`);
  const description = options.description?.trim() || `${template.command.description}`;
  const context = { id, name: name.trim(), prefix, description, flows, template };
  const files = {
    "README.md": readmeSource(context),
    "src/index.ts": manifestSource(context),
    "src/commands.ts": commandsSource(context),
    [`test/${id}.test.ts`]: testSource(context),
  };
  const written = [];
  for (const [file, content] of Object.entries(files)) {
    if (writeIfMissing(join(dir, file), content)) written.push(`integrations/${id}/${file}`);
  }
  written.push(...writeBoilerplate(root, { id, displayName: context.name, keywords: [options.resource] }));
  if (writeIfMissing(join(root, ".changeset", `${id}.md`), changesetSource(context)))
    written.push(`.changeset/${id}.md`);
  written.push(...registerWithCli(root, id));
  const { dependencies, devDependencies } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  written.push(...registerInLockfile(root, id, { dependencies, devDependencies }));
  return written;
}

/** Leaves the new files as the repository's formatter would (pnpm lint checks them). */
function format(root, id) {
  const biome = join(root, "node_modules", ".bin", "biome");
  if (!existsSync(biome)) return;
  try {
    execFileSync(biome, ["check", "--write", `integrations/${id}`, "packages/cli/src"], {
      cwd: root,
      stdio: "ignore",
    });
  } catch {
    console.warn("biome could not format the new files; run pnpm format.");
  }
}

/**
 * Links the new package into node_modules from the lockfile as written (--frozen-lockfile: pnpm resolves nothing,
 * so nothing can drop out of the lockfile), and checks that every entry the lockfile had is still there.
 */
function install(root) {
  const lockPath = join(root, "pnpm-lock.yaml");
  const before = readFileSync(lockPath, "utf8");
  execFileSync("pnpm", ["install", "--offline", "--frozen-lockfile"], { cwd: root, stdio: "inherit" });
  const removed = removedKeys(before, readFileSync(lockPath, "utf8"));
  if (removed.length) {
    writeFileSync(lockPath, before);
    throw new Error(
      `pnpm install removed ${removed.length} lockfile entries (first: ${removed[0]}); pnpm-lock.yaml is restored.`,
    );
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      id: { type: "string" },
      name: { type: "string" },
      prefix: { type: "string" },
      flows: { type: "string" },
      resource: { type: "string" },
      description: { type: "string" },
      root: { type: "string" },
      install: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || !values.id) {
    console.log(
      `Usage: node scripts/new-integration.mjs --id <slug> --name "<Integration Name>" --prefix <command-prefix> --flows "yes, yes, no, yes, yes, no" --resource <${RESOURCE_NAMES.join("|")}> [--description "…"] [--install]`,
    );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const root = resolve(values.root ?? ROOT);
  const written = createIntegration(root, { ...values, prefix: values.prefix ?? values.id });
  for (const file of written) console.log(`wrote ${file}`);
  format(root, values.id);
  if (values.install) install(root);
  console.log(`
Next:
  ${values.install ? "" : "pnpm install --offline --frozen-lockfile && "}pnpm turbo run build test --filter=@msint/${values.id}
  msint integrations     # lists it now (found installed beside the CLI); built in from the next CLI build
  pnpm run docs          # the supported-flows table, docs/integrations/${values.id}.md and its README
  .changeset/${values.id}.md announces it: edit the text if you like
`);
}
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
