import type { ResolvedParams, ResourceDefinition } from "../manifest.js";
import { type ParameterDefinition, validators } from "../parameters.js";
import { required, type ScopeOptions } from "./common.js";

/** Parameter "Cluster URL" of Azure Data Explorer. */
export const KUSTO_CLUSTER_URL_PARAMETER: ParameterDefinition = {
  key: "cluster_url",
  displayName: "Cluster URL",
  type: "url",
  defaultValue: "https://help.kusto.windows.net",
  help: "The URI of your Azure Data Explorer cluster, e.g. https://<cluster>.<region>.kusto.windows.net (Azure Portal > Azure Data Explorer Clusters > Overview: URI).",
  // Tokens go there: https, or http on a literal loopback address only (see validateEndpointUrl).
  validate: validators.endpointUrl,
};

/** An Azure Data Explorer (Kusto) cluster: the per-instance Cluster URL is both the API root and the audience. */
export function kustoCluster(scopes: ScopeOptions = {}): ResourceDefinition {
  const clusterUrl = (params: ResolvedParams) =>
    required(params, KUSTO_CLUSTER_URL_PARAMETER).replace(/\/+$/, "");
  return {
    kind: "kusto",
    displayName: "Azure Data Explorer",
    endpoint: (_cloud, params) => clusterUrl(params),
    audience: (_cloud, params) => clusterUrl(params),
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
    parameters: [KUSTO_CLUSTER_URL_PARAMETER],
    // App registrations list it under "APIs my organization uses" as Azure Data Explorer (delegated
    // user_impersonation); what a principal may read is the database's role assignments, not a token claim.
    permissionsApi: "Azure Data Explorer",
    // The cheapest management command: `.show version` (learn.microsoft.com/kusto/management/show-version-command),
    // POST /v1/rest/mgmt (learn.microsoft.com/kusto/api/rest/request).
    probe: {
      request: () => ({
        method: "POST",
        path: "/v1/rest/mgmt",
        body: { db: "", csl: ".show version" },
        expect: "object",
      }),
      permissions: {
        delegated: ["user_impersonation"],
        rbac: ["AllDatabasesViewer (or any database role: Database Viewer, User, Admin)"],
      },
    },
  };
}
