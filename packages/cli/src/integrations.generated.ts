// Generated from integrations/* by scripts/lib/cli-registry.mjs (the integration generator and the CLI build
// refresh it). Do not edit: add an integration with `pnpm gen integration`.
import type { Integration } from "@msint/integration-kit";

export type IntegrationLoader = () => Promise<{ default: Integration }>;

/** The integrations built into the CLI, by id. Loaded on demand: a command imports only its own integration. */
export const BUILT_IN_LOADERS: Record<string, IntegrationLoader> = {
  "azure-active-directory-applications": () => import("@msint/azure-active-directory-applications"),
  "azure-active-directory-identity-and-access": () =>
    import("@msint/azure-active-directory-identity-and-access"),
  "azure-compute-v2": () => import("@msint/azure-compute-v2"),
  "azure-data-explorer": () => import("@msint/azure-data-explorer"),
  "azure-devops": () => import("@msint/azure-devops"),
  "azure-firewall": () => import("@msint/azure-firewall"),
  "azure-key-vault": () => import("@msint/azure-key-vault"),
  "azure-kubernetes-services": () => import("@msint/azure-kubernetes-services"),
  "azure-log-analytics": () => import("@msint/azure-log-analytics"),
  "azure-network-security-groups": () => import("@msint/azure-network-security-groups"),
  "azure-risky-users": () => import("@msint/azure-risky-users"),
  "azure-security-center-v2": () => import("@msint/azure-security-center-v2"),
  "azure-sentinel": () => import("@msint/azure-sentinel"),
  "azure-sql-management": () => import("@msint/azure-sql-management"),
  "azure-storage": () => import("@msint/azure-storage"),
  "azure-storage-container": () => import("@msint/azure-storage-container"),
  "azure-storage-fileshare": () => import("@msint/azure-storage-fileshare"),
  "azure-storage-queue": () => import("@msint/azure-storage-queue"),
  "azure-storage-table": () => import("@msint/azure-storage-table"),
  "azure-web-application-firewall": () => import("@msint/azure-web-application-firewall"),
  "microsoft-365-defender": () => import("@msint/microsoft-365-defender"),
  "microsoft-365-defender-event-collector": () => import("@msint/microsoft-365-defender-event-collector"),
  "microsoft-defender-for-cloud-apps": () => import("@msint/microsoft-defender-for-cloud-apps"),
  "microsoft-defender-for-endpoint": () => import("@msint/microsoft-defender-for-endpoint"),
  "microsoft-graph-api": () => import("@msint/microsoft-graph-api"),
  "microsoft-graph-device-management": () => import("@msint/microsoft-graph-device-management"),
  "microsoft-graph-groups": () => import("@msint/microsoft-graph-groups"),
  "microsoft-graph-security": () => import("@msint/microsoft-graph-security"),
  "microsoft-management-activity": () => import("@msint/microsoft-management-activity"),
  "microsoft-teams": () => import("@msint/microsoft-teams"),
  "microsoft-teams-management": () => import("@msint/microsoft-teams-management"),
  "ms-defender-for-cloud-event-collector": () => import("@msint/ms-defender-for-cloud-event-collector"),
  "msgraph-mail-single-user": () => import("@msint/msgraph-mail-single-user"),
  "msgraph-user": () => import("@msint/msgraph-user"),
  "o365-file-management": () => import("@msint/o365-file-management"),
  "o365-outlook-calendar": () => import("@msint/o365-outlook-calendar"),
  "o365-outlook-mail": () => import("@msint/o365-outlook-mail"),
};
