import type { Integration } from "@msint/integration-kit";
import {
  type DiscoveredPackage,
  type DiscoveryProblem,
  discoveryEnabled,
  findIntegrationPackages,
  loadIntegrationPackage,
} from "./discovery.js";
import { BUILT_IN_LOADERS, type IntegrationLoader } from "./integrations.generated.js";

/**
 * The integrations this CLI ships, by id: integrations.generated.ts, which the integration generator and the CLI
 * build write from integrations/*. Loaded on demand: a command imports only its own integration. Installed
 * third-party integration packages (discovery.ts) come after them, looked for only when an id is not here.
 */
export const INTEGRATION_LOADERS: Record<string, IntegrationLoader> = BUILT_IN_LOADERS;

const builtInPackages = () => new Set(Object.keys(INTEGRATION_LOADERS).map((id) => `@msint/${id}`));

/** The built-in integration ids, sorted (third-party ones are listed by loadAllIntegrations). */
export function integrationIds(): string[] {
  return Object.keys(INTEGRATION_LOADERS).sort();
}

interface Discovered {
  integrations: Integration[];
  problems: DiscoveryProblem[];
}

let discovered: Discovered | undefined;

/** Every installed third-party integration (loaded once per process), and the packages that failed to load. */
export function discoveredIntegrations(): Discovered {
  if (discovered) return discovered;
  const result: Discovered = { integrations: [], problems: [] };
  if (discoveryEnabled()) {
    const ids = new Set(integrationIds());
    for (const entry of findIntegrationPackages(builtInPackages())) {
      if (entry.id && ids.has(entry.id)) continue;
      const integration = tryLoad(entry, result.problems);
      if (!integration || ids.has(integration.manifest.id)) continue;
      ids.add(integration.manifest.id);
      result.integrations.push(integration);
    }
  }
  discovered = result;
  return result;
}

function tryLoad(entry: DiscoveredPackage, problems: DiscoveryProblem[]): Integration | undefined {
  try {
    return loadIntegrationPackage(entry);
  } catch (error) {
    problems.push({ name: entry.name, dir: entry.dir, message: (error as Error).message });
    return undefined;
  }
}

/** The third-party integration with this id: packages declaring it first, then those that declare no id. */
function findDiscovered(id: string): Integration | undefined {
  if (!discoveryEnabled()) return undefined;
  if (discovered) return discovered.integrations.find((integration) => integration.manifest.id === id);
  const entries = findIntegrationPackages(builtInPackages()).filter((entry) => !entry.id || entry.id === id);
  entries.sort((a, b) => Number(b.id === id) - Number(a.id === id));
  for (const entry of entries) {
    const integration = tryLoad(entry, []);
    if (integration?.manifest.id === id) return integration;
  }
  return undefined;
}

/** Loads one integration (built in, else an installed third-party package), or undefined for an unknown id. */
export async function loadIntegration(id: string): Promise<Integration | undefined> {
  const loader = Object.hasOwn(INTEGRATION_LOADERS, id) ? INTEGRATION_LOADERS[id] : undefined;
  if (loader) return (await loader()).default;
  return findDiscovered(id);
}

/**
 * Loads every integration (for listings): the built-in ones, then the installed third-party ones. Packages that
 * declare the contract but fail to load are named on stderr once, unless `quiet` (shell completion).
 */
export async function loadAllIntegrations(options: { quiet?: boolean } = {}): Promise<Integration[]> {
  const builtIn = await Promise.all(
    integrationIds().map(async (id) => (await INTEGRATION_LOADERS[id]!()).default),
  );
  const { integrations, problems } = discoveredIntegrations();
  if (!options.quiet) {
    for (const problem of problems.splice(0)) {
      process.stderr.write(
        `msint: skipped the integration package ${problem.name} (${problem.dir}): ${problem.message}\n`,
      );
    }
  }
  return [...builtIn, ...integrations];
}
