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
    // The default read of `-test` (an integration whose commands read something else declares its own test):
    // List users, one entry. learn.microsoft.com/graph/api/user-list: least privileged User.ReadBasic.All
    // (delegated) / User.Read.All (application).
    probe: {
      request: () => ({ path: "/v1.0/users", query: { $top: 1, $select: "id" } }),
      permissions: {
        application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
        delegated: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"],
      },
    },
  };
}
