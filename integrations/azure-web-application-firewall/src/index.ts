import {
  armScopeArguments,
  azureResourceManager,
  defineIntegration,
  resourceGroupParameter,
  subscriptionIdArgument,
  subscriptionIdParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { deletePolicy, getPolicies, listFrontDoorPolicies, listPoliciesInSubscription } from "./policies.js";

const policyOutputs = [
  { path: "AzureWAF.Policy.name", type: "string", description: "The policy's name." },
  { path: "AzureWAF.Policy.id", type: "string", description: "The policy's resource ID." },
  { path: "AzureWAF.Policy.location", type: "string", description: "The policy's region." },
  {
    path: "AzureWAF.Policy.properties.policySettings.mode",
    type: "string",
    description: "Prevention or Detection.",
  },
  {
    path: "AzureWAF.Policy.properties.policySettings.state",
    type: "string",
    description: "Enabled or Disabled.",
  },
  { path: "AzureWAF.Policy.properties.customRules", type: "unknown", description: "The custom rules." },
  { path: "AzureWAF.Policy.properties.managedRules", type: "unknown", description: "The managed rule sets." },
] as const;

const scope = armScopeArguments();

/** Azure Web Application Firewall: Application Gateway and Front Door WAF policies through Azure Resource Manager. */
export default defineIntegration({
  id: "azure-web-application-firewall",
  version: packageJson.version,
  displayName: "Azure Web Application Firewall",
  commandPrefix: "azure-waf",
  description: "Lists, gets and deletes Azure WAF policies of Application Gateways and Front Doors.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: azureResourceManager({ delegated: ["user_impersonation", "offline_access"] }),
  permissions: { application: ["Network Contributor (Azure RBAC role)"], delegated: ["user_impersonation"] },
  parameters: [subscriptionIdParameter(), resourceGroupParameter()],
  commands: {
    "azure-waf-policies-get": {
      description: "Gets a policy, or lists the policies of the resource group.",
      arguments: [
        { name: "policy_name", description: "The policy to get (default: all of the group)." },
        ...scope,
      ],
      outputs: policyOutputs,
      run: getPolicies,
    },
    "azure-waf-policies-list-all-in-subscription": {
      description: "Lists every Application Gateway WAF policy of the subscription.",
      arguments: [
        subscriptionIdArgument(),
        { name: "limit", description: "The most policies to return (1-1000).", defaultValue: "50" },
      ],
      outputs: policyOutputs,
      run: listPoliciesInSubscription,
    },
    "azure-waf-policy-delete": {
      description: "Deletes a policy.",
      arguments: [{ name: "policy_name", description: "The policy to delete.", required: true }, ...scope],
      run: deletePolicy,
    },
    "azure-waf-front-door-policies-list": {
      description: "Lists the Front Door WAF policies of the resource group.",
      arguments: [
        ...scope,
        { name: "limit", description: "The most policies to return (1-1000).", defaultValue: "50" },
      ],
      outputs: [
        { path: "AzureWAF.FrontDoorPolicy.name", type: "string", description: "The policy's name." },
        { path: "AzureWAF.FrontDoorPolicy.id", type: "string", description: "The policy's resource ID." },
        {
          path: "AzureWAF.FrontDoorPolicy.properties.policySettings.mode",
          type: "string",
          description: "Prevention or Detection.",
        },
      ],
      run: listFrontDoorPolicies,
    },
  },
});
