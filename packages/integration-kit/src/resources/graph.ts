import type { CloudEndpoints } from "@msint/auth-core";
import type { ResourceDefinition } from "../manifest.js";
import type { ScopeOptions } from "./common.js";

/** Microsoft Graph in the instance's cloud. */
export function graph(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "graph",
    displayName: "Microsoft Graph",
    endpoint: (cloud: CloudEndpoints) => cloud.graph,
    cloudKey: "graph",
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? [],
  };
}
