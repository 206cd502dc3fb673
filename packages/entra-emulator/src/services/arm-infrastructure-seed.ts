/**
 * Seeded Azure Resource Manager data of the infrastructure providers: two subscriptions, three resource groups and
 * the virtual machines, network security groups, firewalls, WAF policies, AKS clusters, SQL servers and storage
 * accounts the infrastructure integrations read. Shapes follow the REST references on learn.microsoft.com/rest/api
 * (compute, virtualnetwork, firewall, application-gateway, frontdoor, aks, sql, storagerp).
 */

/** The first demo subscription (the one the seed's user-assigned managed identity lives in). */
export const ARM_DEMO_SUBSCRIPTION_ID = "1b2c3d4e-5f60-4718-829a-abcdef012345";
/** The second demo subscription. */
export const ARM_DEMO_SECOND_SUBSCRIPTION_ID = "2c3d4e5f-6071-4829-93ab-bcdef0123456";
/** The demo resource group that holds most seeded resources. */
export const ARM_DEMO_RESOURCE_GROUP = "msint-demo";

export interface SeedSubscription {
  subscriptionId: string;
  displayName: string;
  state: string;
}

export interface SeedResourceGroup {
  subscriptionId: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** A seeded resource: its type (`Microsoft.Compute/virtualMachines`, child types with `/`), where, its body. */
export interface SeedResource {
  subscriptionId: string;
  resourceGroup: string;
  /** The full type, e.g. `Microsoft.Network/networkSecurityGroups/securityRules`. */
  type: string;
  /** The names along the type's segments, e.g. `["web-nsg", "allow-https"]`. */
  names: string[];
  body: Record<string, unknown>;
}

export const SEED_SUBSCRIPTIONS: SeedSubscription[] = [
  { subscriptionId: ARM_DEMO_SUBSCRIPTION_ID, displayName: "msint Demo Production", state: "Enabled" },
  {
    subscriptionId: ARM_DEMO_SECOND_SUBSCRIPTION_ID,
    displayName: "msint Demo Development",
    state: "Enabled",
  },
];

export const SEED_RESOURCE_GROUPS: SeedResourceGroup[] = [
  {
    subscriptionId: ARM_DEMO_SUBSCRIPTION_ID,
    name: ARM_DEMO_RESOURCE_GROUP,
    location: "westeurope",
    tags: { Environment: "demo" },
  },
  {
    subscriptionId: ARM_DEMO_SUBSCRIPTION_ID,
    name: "soc-rg",
    location: "eastus",
    tags: { Environment: "prod" },
  },
  { subscriptionId: ARM_DEMO_SECOND_SUBSCRIPTION_ID, name: "dev-rg", location: "northeurope" },
];

const S1 = ARM_DEMO_SUBSCRIPTION_ID;
const RG = ARM_DEMO_RESOURCE_GROUP;
const NETWORK_RG = `/subscriptions/${S1}/resourceGroups/${RG}/providers/Microsoft.Network`;

function rule(
  nsg: string,
  name: string,
  properties: { priority: number; direction: string; access: string; protocol: string } & Record<
    string,
    unknown
  >,
): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/networkSecurityGroups/securityRules",
    names: [nsg, name],
    body: {
      etag: `W/"${nsg}-${name}-1"`,
      properties: {
        provisioningState: "Succeeded",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        sourceAddressPrefix: "*",
        destinationPortRange: "*",
        ...properties,
      },
    },
  };
}

function vm(name: string, size: string, os: string, power: "running" | "deallocated", location: string) {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Compute/virtualMachines",
    names: [name],
    body: {
      location,
      tags: { role: name.split("-")[0] },
      properties: {
        vmId:
          name === "web-01" ? "5f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b" : "6a2e3b4c-5d6e-4f70-9b0c-1d2e3f4a5b6c",
        provisioningState: "Succeeded",
        hardwareProfile: { vmSize: size },
        storageProfile: { osDisk: { osType: os, name: `${name}_OsDisk_1`, caching: "ReadWrite" } },
        osProfile: { computerName: name, adminUsername: "azureuser" },
        userData: Buffer.from(`#cloud-config\nhostname: ${name}\n`).toString("base64"),
      },
      powerState: power,
    },
  } satisfies SeedResource;
}

const COMPUTE: SeedResource[] = [
  vm("web-01", "Standard_D2s_v3", "Linux", "running", "westeurope"),
  vm("dc-01", "Standard_B2ms", "Windows", "deallocated", "westeurope"),
];

const NETWORK_SECURITY: SeedResource[] = [
  ...["web-nsg", "db-nsg"].map(
    (name): SeedResource => ({
      subscriptionId: S1,
      resourceGroup: RG,
      type: "Microsoft.Network/networkSecurityGroups",
      names: [name],
      body: {
        location: "westeurope",
        etag: `W/"${name}-1"`,
        properties: { provisioningState: "Succeeded", resourceGuid: `${name}-0000-4000-8000-000000000001` },
      },
    }),
  ),
  rule("web-nsg", "allow-https", {
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    destinationPortRange: "443",
  }),
  rule("web-nsg", "allow-ssh-admin", {
    priority: 110,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "10.0.0.0/8",
    destinationPortRange: "22",
  }),
  rule("web-nsg", "deny-all-inbound", {
    priority: 4096,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
  }),
  rule("db-nsg", "allow-sql-from-web", {
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "10.0.1.0/24",
    destinationPortRange: "1433",
  }),
];

const FIREWALLS: SeedResource[] = [
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/azureFirewalls",
    names: ["fw-hub"],
    body: {
      location: "westeurope",
      zones: ["1", "2"],
      properties: {
        provisioningState: "Succeeded",
        threatIntelMode: "Alert",
        sku: { name: "AZFW_VNet", tier: "Standard" },
        firewallPolicy: { id: `${NETWORK_RG}/firewallPolicies/fw-policy-hub` },
        ipConfigurations: [
          {
            name: "fw-hub-ipconfig",
            properties: {
              privateIPAddress: "10.0.1.4",
              privateIPAllocationMethod: "Dynamic",
              publicIPAddress: { id: `${NETWORK_RG}/publicIPAddresses/fw-hub-pip` },
            },
          },
        ],
      },
    },
  },
  {
    subscriptionId: S1,
    resourceGroup: "soc-rg",
    type: "Microsoft.Network/azureFirewalls",
    names: ["fw-soc"],
    body: {
      location: "eastus",
      properties: {
        provisioningState: "Succeeded",
        threatIntelMode: "Deny",
        sku: { name: "AZFW_VNet", tier: "Premium" },
        ipConfigurations: [{ name: "fw-soc-ipconfig", properties: { privateIPAddress: "10.8.1.4" } }],
      },
    },
  },
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/firewallPolicies",
    names: ["fw-policy-hub"],
    body: {
      location: "westeurope",
      properties: {
        provisioningState: "Succeeded",
        threatIntelMode: "Alert",
        sku: { tier: "Standard" },
        firewalls: [{ id: `${NETWORK_RG}/azureFirewalls/fw-hub` }],
        ruleCollectionGroups: [
          { id: `${NETWORK_RG}/firewallPolicies/fw-policy-hub/ruleCollectionGroups/default` },
        ],
      },
    },
  },
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/ipGroups",
    names: ["ipg-trusted"],
    body: {
      location: "westeurope",
      properties: { provisioningState: "Succeeded", ipAddresses: ["10.0.0.0/8", "192.168.10.0/24"] },
    },
  },
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/publicIPAddresses",
    names: ["fw-hub-pip"],
    body: {
      location: "westeurope",
      sku: { name: "Standard", tier: "Regional" },
      properties: {
        provisioningState: "Succeeded",
        ipAddress: "20.50.10.4",
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
      },
    },
  },
];

function wafPolicy(resourceGroup: string, name: string, mode: string, location: string): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup,
    type: "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
    names: [name],
    body: {
      location,
      properties: {
        provisioningState: "Succeeded",
        resourceState: "Enabled",
        policySettings: { state: "Enabled", mode, requestBodyCheck: true, maxRequestBodySizeInKb: 128 },
        customRules: [
          {
            name: "BlockBadBots",
            priority: 10,
            ruleType: "MatchRule",
            action: "Block",
            matchConditions: [
              {
                matchVariables: [{ variableName: "RequestHeaders", selector: "User-Agent" }],
                operator: "Contains",
                matchValues: ["sqlmap"],
              },
            ],
          },
        ],
        managedRules: { managedRuleSets: [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }] },
      },
    },
  };
}

const WAF: SeedResource[] = [
  wafPolicy(RG, "waf-policy-web", "Prevention", "westeurope"),
  wafPolicy(RG, "waf-policy-api", "Detection", "westeurope"),
  wafPolicy("soc-rg", "waf-policy-soc", "Prevention", "eastus"),
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
    names: ["fdwafglobal"],
    body: {
      location: "Global",
      sku: { name: "Premium_AzureFrontDoor" },
      properties: {
        provisioningState: "Succeeded",
        resourceState: "Enabled",
        policySettings: { enabledState: "Enabled", mode: "Prevention" },
        customRules: {
          rules: [{ name: "RateLimitLogin", priority: 1, ruleType: "RateLimitRule", action: "Block" }],
        },
        managedRules: {
          managedRuleSets: [{ ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1" }],
        },
      },
    },
  },
];

function cluster(subscriptionId: string, resourceGroup: string, name: string, power: string): SeedResource {
  return {
    subscriptionId,
    resourceGroup,
    type: "Microsoft.ContainerService/managedClusters",
    names: [name],
    body: {
      location: resourceGroup === RG ? "westeurope" : "northeurope",
      sku: { name: "Base", tier: "Standard" },
      properties: {
        provisioningState: "Succeeded",
        powerState: { code: power },
        kubernetesVersion: "1.29.4",
        dnsPrefix: name,
        fqdn: `${name}-dns-4f1a2b3c.hcp.${resourceGroup === RG ? "westeurope" : "northeurope"}.azmk8s.io`,
        nodeResourceGroup: `MC_${resourceGroup}_${name}`,
        agentPoolProfiles: [{ name: "nodepool1", count: 3, vmSize: "Standard_DS2_v2", osType: "Linux" }],
      },
    },
  };
}

const AKS: SeedResource[] = [
  cluster(S1, RG, "aks-prod", "Running"),
  cluster(ARM_DEMO_SECOND_SUBSCRIPTION_ID, "dev-rg", "aks-dev", "Stopped"),
];

function sqlServer(resourceGroup: string, name: string, location: string): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup,
    type: "Microsoft.Sql/servers",
    names: [name],
    body: {
      location,
      kind: "v12.0",
      properties: {
        administratorLogin: "sqladmin",
        version: "12.0",
        state: "Ready",
        fullyQualifiedDomainName: `${name}.database.windows.net`,
        publicNetworkAccess: "Disabled",
        minimalTlsVersion: "1.2",
      },
    },
  };
}

function database(name: string, sku: string, status: string): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Sql/servers/databases",
    names: ["sql-msint-demo", name],
    body: {
      location: "westeurope",
      kind: "v12.0,user",
      sku: { name: sku, tier: sku === "S0" ? "Standard" : "GeneralPurpose" },
      properties: { status, maxSizeBytes: 268435456000, collation: "SQL_Latin1_General_CP1_CI_AS" },
    },
  };
}

const SQL: SeedResource[] = [
  sqlServer(RG, "sql-msint-demo", "westeurope"),
  sqlServer("soc-rg", "sql-soc", "eastus"),
  database("customers", "GP_Gen5_2", "Online"),
  database("audit-archive", "S0", "Paused"),
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Sql/servers/databases/auditingSettings",
    names: ["sql-msint-demo", "customers", "default"],
    body: {
      properties: {
        state: "Enabled",
        retentionDays: 90,
        isAzureMonitorTargetEnabled: true,
        auditActionsAndGroups: [
          "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
          "FAILED_DATABASE_AUTHENTICATION_GROUP",
          "BATCH_COMPLETED_GROUP",
        ],
        storageAccountSubscriptionId: "00000000-0000-0000-0000-000000000000",
      },
    },
  },
  {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Sql/servers/databases/auditingSettings",
    names: ["sql-msint-demo", "audit-archive", "default"],
    body: { properties: { state: "Disabled", retentionDays: 0, isAzureMonitorTargetEnabled: false } },
  },
];

function storageAccount(name: string, kind: string, publicAccess: boolean): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Storage/storageAccounts",
    names: [name],
    body: {
      location: "westeurope",
      kind,
      sku: { name: "Standard_LRS", tier: "Standard" },
      properties: {
        provisioningState: "Succeeded",
        allowBlobPublicAccess: publicAccess,
        minimumTlsVersion: publicAccess ? "TLS1_0" : "TLS1_2",
        supportsHttpsTrafficOnly: true,
        primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` },
        creationTime: "2025-03-14T09:26:53.1234567Z",
      },
    },
  };
}

function blobService(account: string, versioning: boolean): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Storage/storageAccounts/blobServices",
    names: [account, "default"],
    body: {
      sku: { name: "Standard_LRS", tier: "Standard" },
      properties: {
        isVersioningEnabled: versioning,
        changeFeed: { enabled: versioning },
        deleteRetentionPolicy: { enabled: versioning, days: versioning ? 14 : undefined },
        cors: { corsRules: [] },
      },
    },
  };
}

function container(account: string, name: string, publicAccess: string): SeedResource {
  return {
    subscriptionId: S1,
    resourceGroup: RG,
    type: "Microsoft.Storage/storageAccounts/blobServices/containers",
    names: [account, "default", name],
    body: {
      etag: '"0x8DC4B2F0A1B2C3D"',
      properties: {
        publicAccess,
        leaseState: "Available",
        leaseStatus: "Unlocked",
        lastModifiedTime: "2025-06-02T08:15:30.0000000Z",
        hasImmutabilityPolicy: false,
        hasLegalHold: false,
      },
    },
  };
}

const STORAGE: SeedResource[] = [
  storageAccount("msintdemostorage", "StorageV2", false),
  storageAccount("msintpublicweb", "StorageV2", true),
  blobService("msintdemostorage", true),
  blobService("msintpublicweb", false),
  container("msintdemostorage", "evidence", "None"),
  container("msintdemostorage", "logs", "None"),
  container("msintpublicweb", "$web", "Blob"),
];

/** Every seeded resource, in the order lists return them. */
export const SEED_RESOURCES: readonly SeedResource[] = [
  ...COMPUTE,
  ...NETWORK_SECURITY,
  ...FIREWALLS,
  ...WAF,
  ...AKS,
  ...SQL,
  ...STORAGE,
];
