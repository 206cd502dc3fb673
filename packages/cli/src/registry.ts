import type { Integration } from "@msint/integration-kit";

type Loader = () => Promise<{ default: Integration }>;

/**
 * The integrations this CLI ships, by id. Loaded on demand: a command imports only its own integration.
 * `pnpm gen integration` adds an entry here and the dependency in package.json.
 */
export const INTEGRATION_LOADERS: Record<string, Loader> = {
  "msgraph-user": () => import("@msint/msgraph-user"),
};

/** All integration ids, sorted. */
export function integrationIds(): string[] {
  return Object.keys(INTEGRATION_LOADERS).sort();
}

/** Loads one integration, or undefined for an unknown id. */
export async function loadIntegration(id: string): Promise<Integration | undefined> {
  const loader = Object.hasOwn(INTEGRATION_LOADERS, id) ? INTEGRATION_LOADERS[id] : undefined;
  return loader ? (await loader()).default : undefined;
}

/** Loads every integration (for listings). */
export async function loadAllIntegrations(): Promise<Integration[]> {
  return Promise.all(integrationIds().map(async (id) => (await INTEGRATION_LOADERS[id]!()).default));
}
