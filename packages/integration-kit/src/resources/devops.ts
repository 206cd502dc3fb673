import { ParameterError } from "@msint/auth-core";
import type { ResourceDefinition } from "../manifest.js";
import type { ParameterDefinition } from "../parameters.js";
import { required, type ScopeOptions } from "./common.js";

// ---------------------------------------------------------------------------------------------------------------
// Azure DevOps

/** The application ID of Azure DevOps, the resource of its tokens. */
export const AZURE_DEVOPS_RESOURCE_ID = "499b84ac-1321-427f-aa17-267ca6975798";

/** Parameter "Organization name" of Azure DevOps. */
export const AZURE_DEVOPS_ORGANIZATION_PARAMETER: ParameterDefinition = {
  key: "organization",
  displayName: "Organization name",
  type: "string",
  help: "The name of your Azure DevOps organization, as in https://dev.azure.com/<organization>.",
  validate: (value, definition) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,48}[A-Za-z0-9]?$/.test(value)) {
      throw new ParameterError(
        `${definition.displayName}: "${value}" is not an organization name. Use the name that follows https://dev.azure.com/.`,
        definition.displayName,
      );
    }
  },
};

/** Azure DevOps Services: `https://dev.azure.com/<organization>`, tokens for the Azure DevOps application. */
export function azureDevOps(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "azure-devops",
    displayName: "Azure DevOps",
    endpoint: (_cloud, params) =>
      `https://dev.azure.com/${encodeURIComponent(required(params, AZURE_DEVOPS_ORGANIZATION_PARAMETER))}`,
    audience: () => AZURE_DEVOPS_RESOURCE_ID,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation", "offline_access"],
    parameters: [AZURE_DEVOPS_ORGANIZATION_PARAMETER],
    // App registrations list it as "Azure DevOps" (delegated user_impersonation and the vso.* scopes); a service
    // principal gets no roles: it must be added to the organization as a user.
    permissionsApi: "Azure DevOps",
    // Projects - List, one entry (learn.microsoft.com/rest/api/azure/devops/core/projects/list): scope vso.project.
    probe: {
      request: () => ({ path: "/_apis/projects", query: { "api-version": "7.1", $top: 1 } }),
      permissions: {
        delegated: ["vso.project", "user_impersonation"],
        rbac: ["a user of the organization (Basic or Stakeholder access) who is a project reader"],
      },
    },
  };
}
