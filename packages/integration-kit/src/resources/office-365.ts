import { type CloudEndpoints, ParameterError } from "@msint/auth-core";
import type { ResolvedParams, ResourceDefinition } from "../manifest.js";
import { type ScopeOptions, text } from "./common.js";

// ---------------------------------------------------------------------------------------------------------------
// Office 365 Management Activity API

const OFFICE_365_MANAGEMENT: Partial<Record<CloudEndpoints["id"], string>> = {
  com: "https://manage.office.com",
  gcc: "https://manage-gcc.office.com",
  "gcc-high": "https://manage.office365.us",
  dod: "https://manage.protection.apps.mil",
};

/** The tenant whose feed a request reads: parameter `audited_tenant_id`, else the instance's tenant. */
function auditedTenant(params: ResolvedParams): string {
  return text(params, "audited_tenant_id") || text(params, "tenant_id") || "common";
}

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
    permissionsApi: "Office 365 Management APIs",
    // `-test`'s default read: the tenant's subscriptions (learn.microsoft.com/office/office-365-management-api/
    // office-365-management-activity-api-reference, "List current subscriptions"): ActivityFeed.Read, or
    // ActivityFeed.ReadDlp, which includes it.
    probe: {
      request: (params) => ({
        path: `/api/v1.0/${encodeURIComponent(auditedTenant(params))}/activity/feed/subscriptions/list`,
      }),
      permissions: {
        application: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
        delegated: ["ActivityFeed.Read", "ActivityFeed.ReadDlp"],
      },
    },
  };
}
