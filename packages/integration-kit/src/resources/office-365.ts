import { type CloudEndpoints, ParameterError } from "@msint/auth-core";
import type { ResourceDefinition } from "../manifest.js";
import type { ScopeOptions } from "./common.js";

// ---------------------------------------------------------------------------------------------------------------
// Office 365 Management Activity API

const OFFICE_365_MANAGEMENT: Partial<Record<CloudEndpoints["id"], string>> = {
  com: "https://manage.office.com",
  gcc: "https://manage-gcc.office.com",
  "gcc-high": "https://manage.office365.us",
  dod: "https://manage.protection.apps.mil",
};

/** The Office 365 Management Activity API of the instance's cloud (`https://manage.office.com` on Worldwide). */
export function office365Management(scopes: ScopeOptions = {}): ResourceDefinition {
  const root = (cloud: CloudEndpoints) => {
    const url = OFFICE_365_MANAGEMENT[cloud.id];
    if (!url) {
      throw new ParameterError(
        `The Office 365 Management Activity API is not offered in the ${cloud.displayName} cloud by msint. Choose Worldwide, US GCC, US GCC-High or DoD, or Custom with the API in Server URL.`,
        "Azure Cloud",
      );
    }
    return url;
  };
  return {
    kind: "office-365-management",
    displayName: "Office 365 Management Activity API",
    endpoint: root,
    audience: root,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["ActivityFeed.Read", "offline_access"],
  };
}
