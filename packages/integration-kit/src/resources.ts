import {
  ApiError,
  CLOUD_APPS_ENDPOINT_TYPES,
  type CloudEndpoints,
  DEFENDER_ENDPOINT_TYPES,
  ENDPOINT_TYPE_PARAMETER,
  getCloudAppsEndpoint,
  getDefenderEndpoint,
  ParameterError,
} from "@msint/auth-core/internal";
import type { ApiClient } from "./api-client.js";
import { UsageError } from "./args.js";
import type { CommandContext, ResolvedParams, ResourceDefinition } from "./manifest.js";
import { type ParameterDefinition, validators } from "./parameters.js";
import { parseXml, type XmlElement, xmlFind, xmlText } from "./xml.js";

interface ScopeOptions {
  /** Application-permission scopes; default `[".default"]`. */
  application?: readonly string[];
  /** Delegated scopes, e.g. `["User.Read"]`. */
  delegated?: readonly string[];
}

function text(params: ResolvedParams, key: string): string {
  const value = params[key];
  return typeof value === "string" ? value.trim() : "";
}

function required(params: ResolvedParams, definition: ParameterDefinition): string {
  const value = text(params, definition.key);
  if (!value) {
    throw new ParameterError(
      `${definition.displayName} is not set. ${definition.help} Set it with msint instance set <name> --param ${definition.key}=…`,
      definition.displayName,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters Azure integrations share. The help texts follow the seed document's "How to find Azure Integrations
// Parameters": both values are on the Overview tab of the resource in the Azure Portal.

const PORTAL_OVERVIEW =
  "In the Azure Portal (https://portal.azure.com), search for your Azure product (for example SQL servers), open your resource, and find it on the Overview tab.";

/** The Azure subscription of the integration's resources; `key` and display name differ between integrations. */
export function subscriptionIdParameter(
  key = "subscription_id",
  displayName = "Default Subscription ID",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: `The ID of the Azure subscription that holds your resources (a GUID). ${PORTAL_OVERVIEW} Commands may override it with their subscription_id argument.`,
    validate: validators.guid,
  };
}

/** The resource group of the integration's resources. */
export function resourceGroupParameter(
  key = "resource_group_name",
  displayName = "Default Resource Group Name",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: `The name of the resource group that holds your resources. ${PORTAL_OVERVIEW} Commands may override it with their resource_group_name argument.`,
    validate: validators.noStraySpace,
  };
}

/** The name of a Log Analytics workspace (Microsoft Sentinel's workspace). */
export function workspaceNameParameter(
  key = "workspaceName",
  displayName = "Workspace Name",
): ParameterDefinition {
  return {
    key,
    displayName,
    type: "string",
    help: "The name of the Log Analytics workspace (for Microsoft Sentinel: the workspace Sentinel runs on). Azure Portal > Log Analytics workspaces: the Name column; its Overview tab shows the Resource group and Subscription ID too.",
    validate: validators.noStraySpace,
  };
}

/**
 * A command's setting that an argument may override: the argument's value, else the instance parameter's, else a
 * UsageError naming both (`resource_group_name` → "Default Resource Group Name").
 */
export function argumentOrParameter(
  context: CommandContext,
  argument: string,
  parameter: Pick<ParameterDefinition, "key" | "displayName">,
): string {
  const value = context.args[argument] || context.params[parameter.key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(
      `${parameter.displayName} is not set: add ${argument}=<value> to the command or set the instance parameter ${parameter.key}.`,
    );
  }
  return value.trim();
}

/** A parameter as messages name it. */
type NamedParameter = Pick<ParameterDefinition, "key" | "displayName">;

const DEFAULT_SUBSCRIPTION: NamedParameter = {
  key: "subscription_id",
  displayName: "Default Subscription ID",
};
const DEFAULT_RESOURCE_GROUP: NamedParameter = {
  key: "resource_group_name",
  displayName: "Default Resource Group Name",
};

/** `/subscriptions/{id}`: the `subscription_id` argument, else the instance's subscription parameter. */
export function subscriptionPath(context: CommandContext, subscription = DEFAULT_SUBSCRIPTION): string {
  return `/subscriptions/${encodeURIComponent(argumentOrParameter(context, "subscription_id", subscription))}`;
}

/**
 * `/subscriptions/{id}/resourceGroups/{name}`: the subscription as {@link subscriptionPath} finds it, then the
 * resource group from its argument (`resource_group_name` unless named otherwise), else the instance's parameter.
 */
export function resourceGroupPath(
  context: CommandContext,
  names: {
    subscription?: NamedParameter;
    resourceGroup?: NamedParameter;
    resourceGroupArgument?: string;
  } = {},
): string {
  const subscription = subscriptionPath(context, names.subscription);
  const group = argumentOrParameter(
    context,
    names.resourceGroupArgument ?? "resource_group_name",
    names.resourceGroup ?? DEFAULT_RESOURCE_GROUP,
  );
  return `${subscription}/resourceGroups/${encodeURIComponent(group)}`;
}

/** A page of an Azure Resource Manager or Microsoft Graph collection. */
export interface CollectionPage<T> {
  value?: T[];
  nextLink?: string;
  "@odata.nextLink"?: string;
}

/**
 * Reads a collection page by page (ARM's `nextLink`, Graph's `@odata.nextLink`) until `limit` items or the last
 * page. Returns the items and the link to the rest, if any. Each page is checked to be a list of objects.
 */
export async function collectPages<T>(
  api: ApiClient,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; nextLink?: string }> {
  const items: T[] = [];
  // Every page must be a list (`value`, an array of objects): `null`, `[]` or a portal's page is an error that
  // names the status and content type, never "No entries.".
  let page = await api.get<CollectionPage<T>>(path, query, { expect: "collection" });
  for (;;) {
    items.push(...(page.value ?? []));
    const next = page.nextLink ?? page["@odata.nextLink"];
    if (!next) return { items: items.slice(0, limit) };
    if (items.length >= limit) return { items: items.slice(0, limit), nextLink: next };
    page = await api.get<CollectionPage<T>>(next, undefined, { expect: "collection" });
  }
}

/** Parses a `limit` argument: a whole number from 1 to `max`. */
export function limitArgument(context: CommandContext, max: number, name = "limit"): number {
  const raw = context.args[name];
  const value = Number(raw ?? "50");
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max} (got "${raw}").`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Graph and Azure Resource Manager

/** Microsoft Graph in the instance's cloud. */
export function graph(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "graph",
    displayName: "Microsoft Graph",
    endpoint: (cloud: CloudEndpoints) => cloud.graph,
    cloudKey: "graph",
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? [],
  };
}

/**
 * Parameter "Resource Manager URL": with Azure Cloud = Custom, the Azure Resource Manager endpoint of an
 * integration whose main API is another one (Key Vault, Log Analytics manage their vaults and workspaces there).
 */
export const RESOURCE_MANAGER_URL_PARAMETER: ParameterDefinition = {
  key: "resource_manager_url",
  displayName: "Resource Manager URL",
  type: "url",
  help: "With Azure Cloud = Custom: the Azure Resource Manager endpoint of your cloud (e.g. https://management.azure.com on Worldwide), for the commands that manage vaults or workspaces. Not used with a named Azure Cloud.",
  validate: validators.endpointUrl,
};

/** Azure Resource Manager in the instance's cloud. */
export function azureResourceManager(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "arm",
    displayName: "Azure Resource Manager",
    endpoint: (cloud: CloudEndpoints) => cloud.arm,
    cloudKey: "arm",
    customEndpoint: RESOURCE_MANAGER_URL_PARAMETER,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Azure data planes

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

/** Parameter "Key Vault Name": the vault whose keys, secrets and certificates the commands read. */
export const KEY_VAULT_NAME_PARAMETER: ParameterDefinition = {
  key: "vault_name",
  displayName: "Key Vault Name",
  type: "string",
  help: "The name of the key vault (Azure Portal > Key vaults; its Overview tab shows the Vault URI https://<name>.vault.azure.net).",
  validate: (value, definition) => {
    if (!/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(value)) {
      throw new ParameterError(
        `${definition.displayName}: "${value}" is not a key vault name. Use the 3-24 letters, digits and dashes of the Vault URI's first label.`,
        definition.displayName,
      );
    }
  },
};

/**
 * A Key Vault's data plane: `https://<vault><dns suffix>` of the instance's cloud, tokens for the cloud's Key Vault
 * resource (`https://vault.azure.net` on Worldwide). With Azure Cloud = Custom the Server URL is the vault URL.
 */
export function keyVault(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "key-vault",
    displayName: "Azure Key Vault",
    endpoint: (cloud: CloudEndpoints, params: ResolvedParams) =>
      `https://${required(params, KEY_VAULT_NAME_PARAMETER)}${cloud.keyVaultDnsSuffix}`,
    // A vault's audience is its DNS suffix as a host (https://vault.azure.net for <name>.vault.azure.net): in a
    // Custom cloud it comes from the vault URL in Server URL, never from the Worldwide catalog.
    audience: (cloud: CloudEndpoints) =>
      cloud.id === "custom" && cloud.resourceUrl ? vaultAudience(cloud.resourceUrl) : cloud.keyVault,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["user_impersonation"],
    parameters: [KEY_VAULT_NAME_PARAMETER],
  };
}

/** `https://<name>.vault.example` → `https://vault.example` (a vault URL's host without its first label). */
function vaultAudience(vaultUrl: string): string {
  const url = new URL(vaultUrl);
  const labels = url.hostname.split(".");
  const host = labels.length > 2 ? labels.slice(1).join(".") : url.hostname;
  return `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}`;
}

/** The four Azure Storage data-plane services. */
export type StorageService = "blob" | "file" | "queue" | "table";

const STORAGE_SERVICE_NAMES: Record<StorageService, string> = {
  blob: "Azure Blob Storage",
  file: "Azure Files",
  queue: "Azure Queue Storage",
  table: "Azure Table Storage",
};

/** The REST version every Azure Storage request of the XSOAR integrations carries. */
export const STORAGE_API_VERSION = "2020-10-02";

/** The token audience of Azure Storage in every cloud. */
export const STORAGE_AUDIENCE = "https://storage.azure.com";

/**
 * An Azure Storage data-plane service of the instance's storage account:
 * `https://<account>.<blob|file|queue|table>.<storage suffix>`, the `x-ms-version` header, and the account SAS
 * token (parameters "Storage account name" and "Account SAS Token"); managed identities get tokens for
 * `https://storage.azure.com` when the integration's flows allow them.
 */
export function storage(service: StorageService): ResourceDefinition {
  return {
    kind: `storage-${service}`,
    displayName: STORAGE_SERVICE_NAMES[service],
    endpoint: (cloud: CloudEndpoints, params: ResolvedParams) => {
      const account = text(params, "account_name");
      if (!account) {
        throw new ParameterError(
          "Storage account name is not set. Copy the storage account's name from the Azure Portal (Storage accounts) and set it with --param account_name=<name>.",
          "Storage account name",
        );
      }
      return `https://${account}.${service}.${cloud.storageSuffix}`;
    },
    audience: () => STORAGE_AUDIENCE,
    applicationScopes: [".default"],
    delegatedScopes: ["user_impersonation"],
    headers: { "x-ms-version": STORAGE_API_VERSION },
    sharedAccessSignature: true,
  };
}

/** What {@link listStorageEntries} reads: one `comp=list` listing of the Blob, File or Queue service. */
export interface StorageListing {
  /** Path of the listing (`/` for the account's containers, shares or queues). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** The element holding the entries (`Containers`, `Blobs`, `Entries`, `Queues`, `Shares`). */
  collection: string;
  /** The entries' element names (`Container`; `Blob` and `BlobPrefix`; `File` and `Directory`…). */
  entries: readonly string[];
  /** At most this many entries. */
  limit: number;
}

/** The root element of a storage service's XML answer; an ApiError saying what came instead. */
export function storageXml(body: string): XmlElement {
  try {
    return parseXml(body);
  } catch (error) {
    throw new ApiError(
      `The storage service answered with a body that is not XML (${error instanceof Error ? error.message : String(error)}): ${body.slice(0, 80).replace(/\s+/g, " ")}…`,
    );
  }
}

/** Page size cap of the storage services' `maxresults`, and so the largest `limit` of a storage listing. */
export const STORAGE_MAX_RESULTS = 5000;

/**
 * A container, file share or queue name from `argument`: 3-63 lower-case letters, digits and single dashes,
 * starting and ending with a letter or digit.
 */
export function storageName(context: CommandContext, argument: string, kind: string): string {
  const name = context.args[argument] ?? "";
  if (!/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new UsageError(
      `${argument} "${name}" is not a ${kind} name: use 3-63 lower-case letters, digits and single dashes.`,
    );
  }
  return name;
}

/**
 * Reads an Azure Storage listing (XML `EnumerationResults`) page by page, following `NextMarker`, until `limit`
 * entries or the last page. Returns the entries in order and the marker of the rest, if any.
 */
export async function listStorageEntries(
  api: ApiClient,
  listing: StorageListing,
): Promise<{ entries: XmlElement[]; nextMarker?: string }> {
  const entries: XmlElement[] = [];
  let marker: string | undefined;
  for (;;) {
    const body = await api.getText(listing.path, {
      ...listing.query,
      comp: "list",
      maxresults: Math.min(listing.limit - entries.length, STORAGE_MAX_RESULTS),
      marker,
    });
    const root = storageXml(body);
    const collection = xmlFind(root, listing.collection);
    for (const child of collection?.children ?? []) {
      if (listing.entries.includes(child.name)) entries.push(child);
    }
    marker = xmlText(root, "NextMarker");
    if (!marker) return { entries: entries.slice(0, listing.limit) };
    if (entries.length >= listing.limit)
      return { entries: entries.slice(0, listing.limit), nextMarker: marker };
  }
}

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
  };
}

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
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Defender

/** Parameter "Endpoint Type" of Microsoft Defender for Endpoint (and the XSIAM event collector). */
export const DEFENDER_ENDPOINT_TYPE_PARAMETER: ParameterDefinition = {
  key: "endpoint_type",
  displayName: ENDPOINT_TYPE_PARAMETER,
  type: "select",
  options: DEFENDER_ENDPOINT_TYPES,
  defaultValue: "Worldwide",
  help: "The Defender for Endpoint API of your tenant: Worldwide, a geo proximity API (US, EU, UK), US GCC, US GCC-High or DoD; Custom uses the Server URL. It also chooses where the instance signs in (login.microsoftonline.us for US GCC-High and DoD) unless Azure Cloud is set.",
};

function checkLoginCloud(cloud: CloudEndpoints, loginHost: string, type: string): void {
  if (type === "Custom") return; // a custom API URL signs in wherever Azure Cloud says
  // The Endpoint Type names the API and, with Azure Cloud left empty, the cloud. An Azure Cloud that says
  // otherwise would send the credentials to a cloud that does not know the tenant.
  if (cloud.id === "custom" || cloud.loginHost === loginHost) return;
  throw new ParameterError(
    `${ENDPOINT_TYPE_PARAMETER} ${type} signs in at ${loginHost}, but Azure Cloud ${cloud.displayName} signs in at ${cloud.loginHost}. Leave Azure Cloud empty (the Endpoint Type then chooses the cloud), or set it to the cloud of your tenant.`,
    ENDPOINT_TYPE_PARAMETER,
  );
}

/**
 * The Microsoft Defender for Endpoint API chosen by "Endpoint Type" (`https://api.securitycenter.microsoft.com`
 * on Worldwide), with tokens for the WindowsDefenderATP service (`https://securitycenter.onmicrosoft.com/
 * windowsatpservice/.default`, `.us` for US GCC-High and DoD).
 */
export function defenderForEndpoint(scopes: ScopeOptions = {}): ResourceDefinition {
  const resolve = (params: ResolvedParams) =>
    getDefenderEndpoint(
      text(params, "endpoint_type") || "Worldwide",
      text(params, "server_url") || undefined,
    );
  return {
    kind: "defender-for-endpoint",
    displayName: "Microsoft Defender for Endpoint",
    endpoint: (cloud, params) => {
      const endpoint = resolve(params);
      checkLoginCloud(cloud, endpoint.loginHost, endpoint.type);
      return endpoint.api;
    },
    audience: (_cloud, params) => `${resolve(params).aptServiceHost}/windowsatpservice`,
    cloudFor: (params) => resolve(params).cloud,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["Machine.Read", "Alert.Read", "offline_access"],
    parameters: [DEFENDER_ENDPOINT_TYPE_PARAMETER],
  };
}

/** The application ID of the Microsoft Defender for Cloud Apps API, the resource of its tokens. */
export const CLOUD_APPS_RESOURCE_ID = "05a65629-4c1b-48c1-a78b-804c4abdd4af";

/** Parameter "Endpoint Type" of Microsoft Defender for Cloud Apps. */
export const CLOUD_APPS_ENDPOINT_TYPE_PARAMETER: ParameterDefinition = {
  key: "endpoint_type",
  displayName: ENDPOINT_TYPE_PARAMETER,
  type: "select",
  options: CLOUD_APPS_ENDPOINT_TYPES,
  defaultValue: "Worldwide",
  help: "The cloud of your Defender for Cloud Apps tenant: Worldwide, US GCC or US GCC-High. It also chooses where the instance signs in (login.microsoftonline.us for US GCC-High) unless Azure Cloud is set.",
};

/** Parameter "Server URL" of Defender for Cloud Apps: the tenant's own API URL. */
export const CLOUD_APPS_URL_PARAMETER: ParameterDefinition = {
  key: "url",
  displayName: "Defender for Cloud Apps API URL",
  type: "url",
  help: "The API URL of your tenant, e.g. https://contoso.us3.portal.cloudappsecurity.com (Microsoft Defender portal > Settings > Cloud Apps > About, or System > API tokens).",
  validate: validators.endpointUrl,
};

/** Microsoft Defender for Cloud Apps: the tenant's API URL, tokens for the Cloud Apps API application. */
export function defenderForCloudApps(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "defender-for-cloud-apps",
    displayName: "Microsoft Defender for Cloud Apps",
    endpoint: (cloud, params) => {
      const endpoint = getCloudAppsEndpoint(text(params, "endpoint_type") || undefined);
      checkLoginCloud(cloud, endpoint.loginHost, endpoint.type);
      return required(params, CLOUD_APPS_URL_PARAMETER);
    },
    audience: () => CLOUD_APPS_RESOURCE_ID,
    cloudFor: (params) => getCloudAppsEndpoint(text(params, "endpoint_type") || undefined).cloud,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? [".default", "offline_access"],
    parameters: [CLOUD_APPS_ENDPOINT_TYPE_PARAMETER, CLOUD_APPS_URL_PARAMETER],
  };
}

/** The token audience of the Microsoft 365 Defender (Defender XDR) API. */
export const MICROSOFT_365_DEFENDER_AUDIENCE = "https://api.security.microsoft.com";

/** Parameter "Endpoint URI" of Microsoft 365 Defender. */
export const MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER: ParameterDefinition = {
  key: "base_url",
  displayName: "Endpoint URI",
  type: "url",
  defaultValue: MICROSOFT_365_DEFENDER_AUDIENCE,
  help: "The Microsoft 365 Defender API: https://api.security.microsoft.com, or the one closest to your tenant's data: https://api-us.security.microsoft.com, https://api-eu.security.microsoft.com, https://api-uk.security.microsoft.com.",
  validate: validators.endpointUrl,
};

/** The Microsoft 365 Defender API (incidents, advanced hunting), tokens for `https://api.security.microsoft.com`. */
export function microsoft365Defender(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "microsoft-365-defender",
    displayName: "Microsoft 365 Defender",
    endpoint: (_cloud, params) =>
      text(params, MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER.key) || MICROSOFT_365_DEFENDER_AUDIENCE,
    audience: () => MICROSOFT_365_DEFENDER_AUDIENCE,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["Incident.Read", "AdvancedHunting.Read", "offline_access"],
    parameters: [MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER],
  };
}

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

/**
 * Turns a manifest scope into a full scope for the audience: `.default` → `<audience>/.default`, a relative
 * permission (`User.Read`) → `<audience>/User.Read` except for Graph, where short names are the norm, and
 * OIDC scopes and absolute URIs as they are.
 */
export function qualifyScope(scope: string, audience: string, kind: string): string {
  if (/^(openid|profile|email|offline_access)$/i.test(scope)) return scope;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(scope) || /^api:\/\//i.test(scope)) return scope;
  const base = audience.replace(/\/+$/, "");
  if (scope === ".default") return `${base}/.default`;
  if (kind === "graph") return scope;
  return `${base}/${scope.replace(/^\/+/, "")}`;
}
