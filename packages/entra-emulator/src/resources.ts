import type { ErrorDialect, ResourceOptions } from "./types.js";

/** Built-in resources: key → audiences (App ID URIs and app IDs), per national cloud. */
export const BUILT_IN_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  graph: [
    "https://graph.microsoft.com",
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
    "https://graph.microsoft.de",
    // Microsoft Graph's app ID: `00000003-…/.default` is a valid scope and the token's aud is then the GUID.
    "00000003-0000-0000-c000-000000000000",
  ],
  arm: [
    "https://management.azure.com",
    "https://management.usgovcloudapi.net",
    "https://management.chinacloudapi.cn",
    "https://management.core.windows.net",
    "https://management.core.usgovcloudapi.net",
    "https://management.core.chinacloudapi.cn",
    "797f4846-ba00-4fd7-ba43-dac1f8f63013",
  ],
};

/** A resource known to the emulator. */
export interface Resource {
  key: string;
  audiences: Set<string>;
  dialect: ErrorDialect;
  challenge?: { resource: string; tenantId?: string };
}

/** Audience comparison ignores case and a trailing slash, as Entra's resource lookup does. */
export function normalizeAudience(audience: string): string {
  return audience.trim().replace(/\/+$/, "").toLowerCase();
}

/** The table of resources the emulator issues tokens for and whose doubles verify them. */
export class ResourceTable {
  readonly #byKey = new Map<string, Resource>();
  readonly #byAudience = new Map<string, Resource>();

  /** Audiences registered by built-in services: an explicit registration under another key takes them over. */
  readonly #builtIn = new Set<string>();

  /** Registers a built-in service's audiences, which a later {@link register} under another key may take over. */
  registerBuiltIn(key: string, audiences: readonly string[], options: ResourceOptions = {}): void {
    // An audience the options' resources gave another key stays theirs.
    const free = audiences.filter((audience) => {
      const owner = this.#byAudience.get(normalizeAudience(audience));
      return !owner || owner.key === key;
    });
    this.register(key, free, options);
    for (const audience of free) this.#builtIn.add(normalizeAudience(audience));
  }

  register(key: string, audiences: readonly string[], options: ResourceOptions = {}): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(key))
      throw new Error(`Resource key '${key}' must be letters, digits, '.', '_' or '-'`);
    let resource = this.#byKey.get(key);
    if (!resource) {
      resource = {
        key,
        audiences: new Set(),
        dialect: options.dialect ?? (key === "graph" ? "graph" : "azure"),
      };
      this.#byKey.set(key, resource);
    } else if (options.dialect) {
      resource.dialect = options.dialect;
    }
    if (options.challenge) resource.challenge = { ...options.challenge };
    for (const audience of audiences) {
      const normalized = normalizeAudience(audience);
      if (normalized.length === 0) throw new Error(`Resource '${key}' has an empty audience`);
      const owner = this.#byAudience.get(normalized);
      if (owner && owner.key !== key && this.#builtIn.delete(normalized)) {
        owner.audiences.delete(normalized);
      } else if (owner && owner.key !== key) {
        throw new Error(`Audience '${audience}' already belongs to resource '${owner.key}'`);
      }
      resource.audiences.add(normalized);
      this.#byAudience.set(normalized, resource);
    }
  }

  byKey(key: string): Resource | undefined {
    return this.#byKey.get(key);
  }

  byAudience(audience: string): Resource | undefined {
    return this.#byAudience.get(normalizeAudience(audience));
  }

  /** First registered audience of a resource (used when a test mints a token by resource key). */
  primaryAudience(key: string): string | undefined {
    const resource = this.#byKey.get(key);
    return resource ? [...resource.audiences][0] : undefined;
  }
}
