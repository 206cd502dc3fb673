import { readFileSync } from "node:fs";
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type * as TlsModule from "node:tls";
import { TransportError } from "../errors.js";
import { createTunnelAgent } from "./proxy.js";

// Node's HTTP stack (and zlib) is loaded on the first request, not when the package is imported: the cached-token
// path never sends anything.
export interface NodeModules {
  http: typeof HttpModule;
  https: typeof HttpsModule;
  tls: typeof TlsModule;
}

let nodeModules: Promise<NodeModules> | undefined;

export function loadNodeModules(): Promise<NodeModules> {
  nodeModules ??= Promise.all([import("node:http"), import("node:https"), import("node:tls")]).then(
    ([http, https, tls]) => ({ http, https, tls }),
  );
  return nodeModules;
}

export interface TlsSettings {
  rejectUnauthorized: boolean;
  ca?: string[];
}

/** The pooled agents of one transport: direct http, direct https, and one tunnelling agent per proxy. */
export interface Agents {
  http: HttpModule.Agent;
  https: HttpsModule.Agent;
  tunnels: Map<string, HttpsModule.Agent>;
  tls: TlsSettings;
}

/** Creates a transport's agents on its first request (reading the CA bundle then) and closes them. */
export class AgentPool {
  #agents: Agents | undefined;

  constructor(
    private readonly settings: { insecure?: boolean | undefined; caFile?: string | undefined },
    private readonly connectTimeoutMs: number,
  ) {}

  get(mods: NodeModules): Agents {
    if (this.#agents) return this.#agents;
    const tls: TlsSettings = { rejectUnauthorized: this.settings.insecure !== true };
    if (this.settings.caFile) tls.ca = loadCaBundle(mods.tls, this.settings.caFile);
    this.#agents = {
      http: new mods.http.Agent({ keepAlive: true }),
      https: new mods.https.Agent({ keepAlive: true, ...tls }),
      tunnels: new Map(),
      tls,
    };
    return this.#agents;
  }

  /** The agent tunnelling https requests through `proxy`. */
  tunnel(mods: NodeModules, current: Agents, proxy: URL): HttpsModule.Agent {
    let agent = current.tunnels.get(proxy.href);
    if (!agent) {
      agent = createTunnelAgent(mods, proxy, current.tls, this.connectTimeoutMs);
      current.tunnels.set(proxy.href, agent);
    }
    return agent;
  }

  /** Closes idle pooled connections; the pool stays usable. */
  close(): void {
    const agents = this.#agents;
    if (!agents) return;
    agents.http.destroy();
    agents.https.destroy();
    for (const agent of agents.tunnels.values()) agent.destroy();
    agents.tunnels.clear();
  }
}

function loadCaBundle(tls: typeof TlsModule, caFile: string): string[] {
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new TransportError(
        `Could not read ${what} ${path} (${code}). Check the path and its permissions.`,
        "tls",
        { cause: error },
      );
    }
  };
  // An explicit `ca` replaces Node's default store, so the bundled roots and NODE_EXTRA_CA_CERTS are added back.
  const bundle = [...tls.rootCertificates];
  const extra = process.env["NODE_EXTRA_CA_CERTS"];
  if (extra) {
    try {
      bundle.push(readFileSync(extra, "utf8"));
    } catch {
      // Node itself already warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  bundle.push(read(caFile, "the CA bundle"));
  return bundle;
}
