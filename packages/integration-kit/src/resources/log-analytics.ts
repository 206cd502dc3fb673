import { type CloudEndpoints, ParameterError } from "@msint/auth-core";
import type { ResourceDefinition } from "../manifest.js";
import type { ScopeOptions } from "./common.js";

/** The Log Analytics query API (`https://api.loganalytics.io` on Worldwide); delegated `Data.Read` by default. */
export function logAnalytics(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "log-analytics",
    displayName: "Azure Log Analytics",
    endpoint: (cloud: CloudEndpoints) => {
      if (!cloud.logAnalytics) {
        throw new ParameterError(
          `Azure Log Analytics is not offered in the ${cloud.displayName} cloud. Choose another Azure Cloud, or Custom with the Log Analytics API in Server URL.`,
          "Azure Cloud",
        );
      }
      return cloud.logAnalytics;
    },
    cloudKey: "logAnalytics",
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["Data.Read"],
    // Listed as "Log Analytics API" under "APIs my organization uses" (learn.microsoft.com/azure/azure-monitor/
    // logs/api/access-api).
    permissionsApi: "Log Analytics API",
    // `-test`'s default read: a one-row query of the workspace in parameter `workspaceID` (Query - Get, GET
    // /v1/workspaces/{workspaceId}/query?query=…, learn.microsoft.com/rest/api/loganalytics/dataaccess/query/get).
    // A user's token needs the delegated Data.Read of the Log Analytics API; an application needs only an Azure role
    // that may read the workspace (learn.microsoft.com/azure/azure-monitor/logs/api/register-app-for-token).
    probe: {
      request: (params) => {
        const workspace = typeof params["workspaceID"] === "string" ? params["workspaceID"].trim() : "";
        if (!workspace) {
          throw new ParameterError(
            "Workspace ID is not set: -test queries the workspace. Set it with msint instance set <name> --param workspaceID=<Workspace ID>.",
            "Workspace ID",
          );
        }
        return {
          path: `/v1/workspaces/${encodeURIComponent(workspace)}/query`,
          query: { query: "print Test = 1" },
        };
      },
      permissions: { delegated: ["Data.Read"], rbac: ["Log Analytics Reader", "Reader"] },
    },
  };
}
