#!/usr/bin/env node
// Writes a new integration package under integrations/<id>/ (manifest, a first real command, a test against the
// emulator, package files), registers it with the msint CLI, and prints what to do next. `pnpm gen integration`
// asks the questions and calls this script; CI calls it directly:
//
//   node scripts/new-integration.mjs --id contoso-users --name "Contoso Users" --prefix contoso-users \
//     --flows "yes, yes, no, yes, yes, no" --resource graph [--description "…"] [--install]
//
// --flows: the seed table's six cells in its column order (XSOAR Application, Client Credentials, Device Code,
// Auth code, Azure Managed Identities, Supports National Clouds): yes, no, "yes - device", "no - saas".
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  checkId,
  parseFlows,
  registerWithCli,
  writeBoilerplate,
  writeIfMissing,
} from "./lib/integration-files.mjs";
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

function testSource({ id, name, prefix, flows, template }) {
  const commandName = `${prefix}-${template.command.suffix}`;
  const { test } = template;
  const expectedFlows = `{ xsoarApp: ${literal(flows.xsoarApp)}, clientCredentials: ${flows.clientCredentials}, deviceCode: ${flows.deviceCode}, authorizationCode: ${flows.authorizationCode}, managedIdentities: ${literal(flows.managedIdentities)}, nationalClouds: ${flows.nationalClouds} }`;
  const sample = `{ ${literal(template.command.listKey)}: [{ id: "1", name: "sample" }] }`;
  const manifestTest = `describe(${literal(`${name} manifest`)}, () => {
  it("declares its row of the supported-flows table", () => {
    expect(integration.manifest).toMatchObject({
      id: ${literal(id)},
      displayName: ${literal(name)},
      commandPrefix: ${literal(prefix)},
      flows: ${expectedFlows},
    });
  });${
    flows.clientCredentials
      ? `

  it("offers the msint extensions Workload Identity and Environment, as every client-credentials integration does", () => {
    expect(integration.parameter("auth_type")?.options).toEqual(
      expect.arrayContaining(["Workload Identity", "Environment"]),
    );
    expect(integration.parameter("federated_token_file")?.displayName).toBe("Federated token file");
  });`
      : ""
  }
});
`;
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
  const written = writeBoilerplate(root, { id, displayName: context.name, keywords: [options.resource] });
  const files = {
    "src/index.ts": manifestSource(context),
    "src/commands.ts": commandsSource(context),
    [`test/${id}.test.ts`]: testSource(context),
  };
  for (const [file, content] of Object.entries(files)) {
    if (writeIfMissing(join(dir, file), content)) written.push(`integrations/${id}/${file}`);
  }
  written.push(...registerWithCli(root, id));
  return written;
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
  // Leave the files as the repository's formatter would (pnpm lint checks them).
  const biome = join(root, "node_modules", ".bin", "biome");
  if (existsSync(biome)) {
    try {
      execFileSync(biome, ["check", "--write", `integrations/${values.id}`, "packages/cli/src/registry.ts"], {
        cwd: root,
        stdio: "ignore",
      });
    } catch {
      console.warn("biome could not format the new files; run pnpm format.");
    }
  }
  if (values.install)
    execFileSync("pnpm", ["install", "--offline", "--frozen-lockfile=false"], {
      cwd: root,
      stdio: "inherit",
    });
  console.log(`
Next:
  ${values.install ? "" : "pnpm install && "}pnpm turbo run build test --filter=@msint/${values.id}
  pnpm run docs          # the supported-flows table and docs/integrations/${values.id}.md
  pnpm changeset         # announce @msint/${values.id}
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
