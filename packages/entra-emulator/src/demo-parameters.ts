import { DEMO_ADMIN_UPN, DEMO_TENANT_ID } from "./seed.js";
import { ARM_DEMO_SUBSCRIPTION_ID } from "./services/arm-infrastructure-seed.js";
import { SECURITY_VAULT, SECURITY_WORKSPACE } from "./services/arm-security.js";
import { DEMO_KUSTO_CLUSTER } from "./services/kusto.js";
import { DEMO_STORAGE_ACCOUNT } from "./services/storage.js";

/**
 * Values of the demo seed's data for integrations' own instance parameters, by parameter key: what
 * `msint emulator --instances` fills in so that its lines work as pasted. The service modules own the data; the
 * values are imported from them. The security resources (Sentinel workspace, vault) live in resource group
 * `soc-rg`, which the Resource Manager double seeds too.
 */
export const DEMO_INSTANCE_PARAMETERS: Readonly<Record<string, string>> = {
  subscription_id: ARM_DEMO_SUBSCRIPTION_ID,
  subscriptionID: ARM_DEMO_SUBSCRIPTION_ID,
  sub_id: ARM_DEMO_SUBSCRIPTION_ID,
  default_sub_id: ARM_DEMO_SUBSCRIPTION_ID,
  resource_group_name: "soc-rg",
  resourceGroupName: "soc-rg",
  resource_group: "soc-rg",
  workspaceName: SECURITY_WORKSPACE.name,
  workspaceID: SECURITY_WORKSPACE.customerId,
  vault_name: SECURITY_VAULT,
  account_name: DEMO_STORAGE_ACCOUNT,
  cluster_url: DEMO_KUSTO_CLUSTER,
  organization: "msint-demo",
  project: "SecOps",
  repository: "secops-playbooks",
  default_user: DEMO_ADMIN_UPN,
  mailbox_to_fetch: DEMO_ADMIN_UPN,
  audited_tenant_id: DEMO_TENANT_ID,
};
