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
  };
}
