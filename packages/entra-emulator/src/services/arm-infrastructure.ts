import type { RouteContext, RouteResponse } from "../types.js";
import { SEED_RESOURCE_GROUPS, SEED_RESOURCES, SEED_SUBSCRIPTIONS } from "./arm-infrastructure-seed.js";
import { armAllows, armAuthorize, armRolesOf } from "./arm-rbac.js";
import {
  ARM_HOSTS,
  type ArmState,
  type ArmTypeSpec,
  checkApiVersion,
  findGroup,
  findSubscription,
  newArmState,
  operationRoutes,
  page,
  render,
  type StoredResource,
  typeRoutes,
} from "./arm-resources.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

export {
  ARM_DEMO_RESOURCE_GROUP,
  ARM_DEMO_SECOND_SUBSCRIPTION_ID,
  ARM_DEMO_SUBSCRIPTION_ID,
} from "./arm-infrastructure-seed.js";

// api-versions each provider accepts: a subset of those its REST reference lists (learn.microsoft.com/rest/api/
// resources, compute, virtualnetwork, frontdoor, aks, sql, storagerp), always including those msint's
// integrations send.
const SUBSCRIPTION_VERSIONS = [
  "2016-06-01",
  "2018-06-01",
  "2019-06-01",
  "2019-11-01",
  "2020-01-01",
  "2021-01-01",
  "2022-12-01",
];
const RESOURCE_GROUP_VERSIONS = [
  "2019-05-10",
  "2019-10-01",
  "2020-06-01",
  "2020-10-01",
  "2021-04-01",
  "2022-09-01",
  "2023-07-01",
  "2024-03-01",
];
const COMPUTE_VERSIONS = [
  "2021-03-01",
  "2022-03-01",
  "2022-08-01",
  "2022-11-01",
  "2023-03-01",
  "2023-07-01",
  "2024-03-01",
];
const NETWORK_VERSIONS = [
  "2020-05-01",
  "2020-06-01",
  "2020-07-01",
  "2020-08-01",
  "2020-11-01",
  "2021-02-01",
  "2021-03-01",
  "2021-05-01",
  "2021-08-01",
  "2022-01-01",
  "2022-05-01",
  "2022-07-01",
  "2022-09-01",
  "2022-11-01",
  "2023-02-01",
  "2023-04-01",
  "2023-05-01",
  "2023-09-01",
  "2023-11-01",
  "2024-01-01",
];
const FRONT_DOOR_WAF_VERSIONS = [
  "2019-03-01",
  "2019-10-01",
  "2020-04-01",
  "2020-11-01",
  "2022-05-01",
  "2024-02-01",
];
const AKS_VERSIONS = [
  "2022-09-01",
  "2022-11-01",
  "2023-01-01",
  "2023-02-01",
  "2023-05-01",
  "2023-08-01",
  "2024-02-01",
];
const SQL_VERSIONS = [
  "2014-04-01",
  "2017-03-01-preview",
  "2020-11-01-preview",
  "2021-02-01-preview",
  "2021-11-01",
  "2022-05-01-preview",
  "2023-08-01",
];
const STORAGE_VERSIONS = ["2021-04-01", "2021-09-01", "2022-05-01", "2022-09-01", "2023-01-01", "2023-05-01"];

/** A VM's JSON: the power state lives in the instance view (`$expand=instanceView`), userData only on request. */
function virtualMachineView(
  resource: StoredResource,
  query: Record<string, string>,
): Record<string, unknown> {
  const { powerState, ...body } = resource.body;
  const properties = { ...(body["properties"] as Record<string, unknown>) };
  const expand = (query["$expand"] ?? "").toLowerCase();
  if (expand !== "userdata") delete properties["userData"];
  if (expand === "instanceview") {
    properties["instanceView"] = {
      computerName: resource.names[0],
      statuses: [
        { code: "ProvisioningState/succeeded", level: "Info", displayStatus: "Provisioning succeeded" },
        { code: `PowerState/${powerState}`, level: "Info", displayStatus: `VM ${powerState}` },
      ],
    };
  }
  return render({ ...resource, body: { ...body, properties } });
}

const setPower = (state: string) => (body: Record<string, unknown>) => {
  body["powerState"] = state;
};

const network = (type: string, bySubscription = true): ArmTypeSpec => ({
  type: `Microsoft.Network/${type}`,
  versions: NETWORK_VERSIONS,
  bySubscription,
});

/** The resource types of Compute, Network, ContainerService, Sql and Storage the double serves. */
const TYPES: readonly ArmTypeSpec[] = [
  {
    type: "Microsoft.Compute/virtualMachines",
    versions: COMPUTE_VERSIONS,
    bySubscription: true,
    view: virtualMachineView,
    // Virtual Machines - Start / Power Off / Deallocate / Restart (learn.microsoft.com/rest/api/compute/virtual-machines).
    actions: {
      start: setPower("running"),
      powerOff: setPower("stopped"),
      deallocate: setPower("deallocated"),
      restart: setPower("running"),
    },
  },
  network("networkSecurityGroups"),
  network("networkSecurityGroups/securityRules", false),
  network("azureFirewalls"),
  network("firewallPolicies"),
  network("ipGroups"),
  network("publicIPAddresses"),
  network("ApplicationGatewayWebApplicationFirewallPolicies"),
  {
    type: "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies",
    versions: FRONT_DOOR_WAF_VERSIONS,
    bySubscription: true,
  },
  { type: "Microsoft.ContainerService/managedClusters", versions: AKS_VERSIONS, bySubscription: true },
  { type: "Microsoft.Sql/servers", versions: SQL_VERSIONS, bySubscription: true },
  { type: "Microsoft.Sql/servers/databases", versions: SQL_VERSIONS },
  { type: "Microsoft.Sql/servers/databases/auditingSettings", versions: SQL_VERSIONS },
  { type: "Microsoft.Storage/storageAccounts", versions: STORAGE_VERSIONS, bySubscription: true },
  { type: "Microsoft.Storage/storageAccounts/blobServices", versions: STORAGE_VERSIONS },
  // Blob Containers - List: "SRP today does not return continuation token" (learn.microsoft.com/rest/api/storagerp/blob-containers/list).
  {
    type: "Microsoft.Storage/storageAccounts/blobServices/containers",
    versions: STORAGE_VERSIONS,
    continuation: false,
  },
];

const isResponse = (value: object): value is RouteResponse => "status" in value;

function subscriptionJson(ctx: RouteContext, subscription: (typeof SEED_SUBSCRIPTIONS)[number]) {
  return {
    id: `/subscriptions/${subscription.subscriptionId}`,
    authorizationSource: "RoleBased",
    subscriptionId: subscription.subscriptionId,
    tenantId: ctx.claims.tid,
    displayName: subscription.displayName,
    state: subscription.state,
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

function groupJson(group: ArmState["resourceGroups"][number]) {
  return {
    id: `/subscriptions/${group.subscriptionId}/resourceGroups/${group.name}`,
    name: group.name,
    type: "Microsoft.Resources/resourceGroups",
    location: group.location,
    ...(group.tags ? { tags: group.tags } : {}),
    properties: { provisioningState: "Succeeded" },
  };
}

/** Resource Groups - List's `$filter`: `tagName eq 'k' and tagValue eq 'v'` (or `tagName eq 'k'`). */
function tagFilter(filter: string | undefined): (group: ArmState["resourceGroups"][number]) => boolean {
  if (!filter) return () => true;
  const name = /tagName eq '([^']*)'/i.exec(filter)?.[1];
  const value = /tagValue eq '([^']*)'/i.exec(filter)?.[1];
  return (group) =>
    name !== undefined &&
    Object.entries(group.tags ?? {}).some(
      ([key, tagValue]) =>
        key.toLowerCase() === name.toLowerCase() && (value === undefined || tagValue === value),
    );
}

/**
 * Microsoft.Resources: Subscriptions - List/Get and Resource Groups - List/Get
 * (learn.microsoft.com/rest/api/resources/subscriptions/list, …/resource-groups/list). Subscriptions - List answers
 * the subscriptions the caller holds a role on: none, an empty list (not 403).
 */
function resourcesRoutes(state: ArmState): ServiceRoute[] {
  const subscriptionsType = "Microsoft.Resources/subscriptions";
  const groupsType = "Microsoft.Resources/subscriptions/resourceGroups";
  const withGroupChecks = (ctx: RouteContext): RouteResponse | undefined => {
    const version = checkApiVersion(ctx, groupsType, RESOURCE_GROUP_VERSIONS);
    if (version) return version;
    const subscription = findSubscription(state, ctx);
    if (isResponse(subscription)) return subscription;
    return armAuthorize(ctx, `${groupsType}/read`, ctx.path);
  };
  return [
    {
      method: "GET",
      path: "/subscriptions",
      handler: (ctx) =>
        checkApiVersion(ctx, subscriptionsType, SUBSCRIPTION_VERSIONS) ??
        page(
          ctx,
          armRolesOf(ctx).length === 0
            ? []
            : state.subscriptions.map((entry) => subscriptionJson(ctx, entry)),
        ),
    },
    {
      method: "GET",
      path: "/subscriptions/:sub",
      handler: (ctx) => {
        const version = checkApiVersion(ctx, subscriptionsType, SUBSCRIPTION_VERSIONS);
        if (version) return version;
        const subscription = findSubscription(state, ctx);
        if (isResponse(subscription)) return subscription;
        return armAllows(ctx, `${subscriptionsType}/read`)
          ? ctx.json(200, subscriptionJson(ctx, subscription))
          : armAuthorize(ctx, `${subscriptionsType}/read`, ctx.path);
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:sub/resourcegroups",
      handler: (ctx) => {
        const failed = withGroupChecks(ctx);
        if (failed) return failed;
        const groups = state.resourceGroups.filter(
          (group) => group.subscriptionId.toLowerCase() === ctx.params["sub"]?.toLowerCase(),
        );
        return page(ctx, groups.filter(tagFilter(ctx.query["$filter"])).map(groupJson));
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:sub/resourcegroups/:rg",
      handler: (ctx) => {
        const failed = withGroupChecks(ctx);
        if (failed) return failed;
        const group = findGroup(state, ctx);
        return isResponse(group) ? group : ctx.json(200, groupJson(group));
      },
    },
  ];
}

/**
 * Azure Resource Manager for the infrastructure integrations: Microsoft.Resources (subscriptions, resource groups:
 * shared by every ARM integration), Microsoft.Compute, Microsoft.Network (NSGs and rules, firewalls, firewall
 * policies, IP groups, public IPs, WAF policies), Microsoft.ContainerService, Microsoft.Sql and Microsoft.Storage.
 * Azure RBAC decides (see arm-rbac.ts): the demo apps and managed identities hold Contributor.
 */
export const armInfrastructureService: EmulatedService = {
  key: "arm",
  displayName: "Azure Resource Manager (Compute, Network, AKS, SQL, Storage)",
  audiences: [],
  hosts: ARM_HOSTS,
  demoRoles: ["Contributor"],
  demoScopes: ["user_impersonation"],
  routes() {
    const state = newArmState(SEED_SUBSCRIPTIONS, SEED_RESOURCE_GROUPS, SEED_RESOURCES);
    return [
      ...resourcesRoutes(state),
      ...TYPES.flatMap((spec) => typeRoutes(state, spec)),
      ...[
        "Microsoft.Compute",
        "Microsoft.Network",
        "Microsoft.ContainerService",
        "Microsoft.Sql",
        "Microsoft.Storage",
      ].flatMap((namespace) => operationRoutes(state, namespace)),
    ];
  },
};
