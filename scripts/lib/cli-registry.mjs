// The msint CLI's registry of built-in integrations, packages/cli/src/integrations.generated.ts, generated from
// the integrations/* folders. Refreshed by the integration generator and by the CLI's build (its tsup.config.ts),
// so an integration folder is built in from the next CLI build without anyone editing a list.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CLI_REGISTRY_PATH = "packages/cli/src/integrations.generated.ts";

/** The workspace integrations, by id (their folder name): `@msint/<id>` packages with a src/index.ts. */
export function workspaceIntegrations(root) {
  const folder = join(root, "integrations");
  if (!existsSync(folder)) return [];
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const manifest = join(folder, entry.name, "package.json");
    if (
      !entry.isDirectory() ||
      !existsSync(manifest) ||
      !existsSync(join(folder, entry.name, "src", "index.ts"))
    )
      continue;
    const { name } = JSON.parse(readFileSync(manifest, "utf8"));
    if (name === `@msint/${entry.name}`) found.push({ id: entry.name, name });
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The text of the generated registry, formatted as Biome formats it (lines up to 110 characters). */
export function renderCliRegistry(root) {
  const lines = workspaceIntegrations(root).map(({ id, name }) => {
    const line = `  "${id}": () => import("${name}"),`;
    return line.length > 110 ? `  "${id}": () =>\n    import("${name}"),` : line;
  });
  return `// Generated from integrations/* by scripts/lib/cli-registry.mjs (the integration generator and the CLI build
// refresh it). Do not edit: add an integration with \`pnpm gen integration\`.
import type { Integration } from "@msint/integration-kit";

export type IntegrationLoader = () => Promise<{ default: Integration }>;

/** The integrations built into the CLI, by id. Loaded on demand: a command imports only its own integration. */
export const BUILT_IN_LOADERS: Record<string, IntegrationLoader> = {
${lines.join("\n")}
};
`;
}

/** Writes the registry when it changed; returns whether it did. */
export function writeCliRegistry(root) {
  const path = join(root, CLI_REGISTRY_PATH);
  const text = renderCliRegistry(root);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  writeFileSync(path, text);
  return true;
}
