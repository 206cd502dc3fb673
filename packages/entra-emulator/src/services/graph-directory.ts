import { randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse, SeedTenant, SeedUser } from "../types.js";
import {
  type GraphEntity,
  getEntity,
  graphOrigin,
  listCollection,
  notFound,
  referencedId,
} from "./graph-collection.js";
import { SECURITY_ROLES, securityRoutes } from "./graph-security.js";
import {
  seedConditionalAccessPolicies,
  seedDirectoryRoles,
  seedGroups,
  seedNamedLocations,
  seedServicePrincipals,
  USERS,
} from "./graph-seed.js";
import { USER_ADMIN_DEMO_ROLES, userAdminRoutes } from "./graph-user-admin.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Permissions of each route: the "Permissions" table of the call's page on learn.microsoft.com/graph/api, least
// privileged first. Where application and delegated lists differ, both are given.
/** group-list, group-get, group-list-members. */
const GROUPS_READ = [
  "GroupMember.Read.All",
  "Group.Read.All",
  "Directory.Read.All",
  "GroupMember.ReadWrite.All",
  "Group.ReadWrite.All",
  "Directory.ReadWrite.All",
];
/** group-post-groups: application Group.Create is the least privileged; delegated Group.ReadWrite.All. */
const GROUPS_CREATE_ROLES = ["Group.Create", "Directory.ReadWrite.All", "Group.ReadWrite.All"];
const GROUPS_CREATE_SCOPES = ["Group.ReadWrite.All", "Directory.ReadWrite.All"];
/** group-delete. */
const GROUPS_DELETE = ["Group.ReadWrite.All", "Directory.ReadWrite.All"];
/** group-post-members, group-delete-members. */
const GROUP_MEMBERS_WRITE = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];
/** serviceprincipal-list, serviceprincipal-get. */
const APPS_READ = [
  "Application.Read.All",
  "Application.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
/** serviceprincipal-update, serviceprincipal-delete (application: OwnedBy is the least privileged). */
const APPS_WRITE_ROLES = [
  "Application.ReadWrite.OwnedBy",
  "Application.ReadWrite.All",
  "Directory.ReadWrite.All",
];
const APPS_WRITE_SCOPES = ["Application.ReadWrite.All", "Directory.ReadWrite.All"];
/** directoryrole-list, directoryrole-list-members. */
const ROLES_READ = [
  "RoleManagement.Read.Directory",
  "Directory.Read.All",
  "RoleManagement.ReadWrite.Directory",
  "Directory.ReadWrite.All",
];
/** directoryrole-post-members. */
const ROLES_WRITE = ["RoleManagement.ReadWrite.Directory"];
/** conditionalaccessroot-list-policies, conditionalaccessroot-list-namedlocations. */
const POLICY_READ = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"];
/** organization-list: application Organization.Read.All, delegated User.Read. */
const ORGANIZATION_ROLES = [
  "Organization.Read.All",
  "Directory.Read.All",
  "Organization.ReadWrite.All",
  "Directory.ReadWrite.All",
];
const ORGANIZATION_SCOPES = [
  "User.Read",
  "Organization.Read.All",
  "Directory.Read.All",
  "Organization.ReadWrite.All",
];
/** user-update (accountEnabled also with User.EnableDisableAccount.All), user-revokesigninsessions. */
const USERS_WRITE_ROLES = ["User.ReadWrite.All", "User.EnableDisableAccount.All", "Directory.ReadWrite.All"];
/** user-revokesigninsessions: User.RevokeSessions.All is the least privileged. */
const USERS_REVOKE = ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
/** user-update of passwordProfile: User-PasswordProfile.ReadWrite.All is the least privileged. */
const PASSWORD_ROLES = [
  "User-PasswordProfile.ReadWrite.All",
  "User.ReadWrite.All",
  "Directory.ReadWrite.All",
];
const PASSWORD_SCOPES = [
  "User-PasswordProfile.ReadWrite.All",
  "User.ReadWrite.All",
  "Directory.AccessAsUser.All",
];
const USERS_WRITE_SCOPES = [
  "User.ReadWrite.All",
  "User.EnableDisableAccount.All",
  "Directory.ReadWrite.All",
  "Directory.AccessAsUser.All",
];
/** user-list-manager, user-list-directreports. */
const USERS_READ_ROLES = [
  "User.Read.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const USERS_READ_SCOPES = [
  "User.Read.All",
  "User.ReadBasic.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];

/** The demo apps' application roles (and user tokens' `.default` scopes) for every Graph route here. */
const DEMO_PERMISSIONS = [
  "Group.ReadWrite.All",
  "GroupMember.ReadWrite.All",
  "Application.ReadWrite.All",
  "RoleManagement.ReadWrite.Directory",
  "Policy.Read.All",
  "Organization.Read.All",
  "User.ReadWrite.All",
  ...USER_ADMIN_DEMO_ROLES,
  ...SECURITY_ROLES,
];

function findUser(tenant: SeedTenant | undefined, key: string): SeedUser | undefined {
  const wanted = key.toLowerCase();
  return (tenant?.users ?? []).find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
  );
}

/** A user as a directoryObject in member lists. */
function memberOf(user: SeedUser): GraphEntity {
  return {
    "@odata.type": "#microsoft.graph.user",
    id: user.id,
    businessPhones: user.businessPhones ?? [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail ?? null,
    mobilePhone: user.mobilePhone ?? null,
    officeLocation: user.officeLocation ?? null,
    preferredLanguage: user.preferredLanguage ?? null,
    surname: user.surname ?? null,
    userPrincipalName: user.userPrincipalName,
  };
}

/** GET, POST $ref and DELETE $ref of a members relationship (groups and directory roles). */
function memberRoutes(
  base: string,
  entries: Array<{ id: string; members: string[] }>,
  read: readonly string[],
  write: { roles: readonly string[]; scopes: readonly string[] },
  allowRemove: boolean,
): ServiceRoute[] {
  const entryOf = (context: RouteContext) =>
    entries.find((entry) => entry.id.toLowerCase() === context.params["id"]!.toLowerCase());
  const routes: ServiceRoute[] = [
    {
      method: "GET",
      path: `${base}/:id/members`,
      roles: read,
      scopes: read,
      handler: (context) => {
        const entry = entryOf(context);
        if (!entry) return notFound(context, context.params["id"]!);
        const members = entry.members
          .map((id) => findUser(context.tenant, id))
          .filter((user): user is SeedUser => user !== undefined)
          .map(memberOf);
        return listCollection(context, members, {
          typeName: "microsoft.graph.directoryObject",
          entitySet: "directoryObjects",
          defaultTop: 100,
          maxTop: 999,
        });
      },
    },
    {
      method: "POST",
      path: `${base}/:id/members/$ref`,
      ...write,
      handler: (context) => {
        const entry = entryOf(context);
        if (!entry) return notFound(context, context.params["id"]!);
        const memberId = referencedId(context.body);
        if (!memberId) {
          return context.error(400, "Request_BadRequest", "Invalid URL format specified in @odata.id.");
        }
        const user = findUser(context.tenant, memberId);
        if (!user) return notFound(context, memberId);
        if (entry.members.includes(user.id)) {
          return context.error(
            400,
            "Request_BadRequest",
            "One or more added object references already exist for the following modified properties: 'members'.",
          );
        }
        entry.members.push(user.id);
        return context.empty(204);
      },
    },
  ];
  if (allowRemove) {
    routes.push({
      method: "DELETE",
      path: `${base}/:id/members/:member/$ref`,
      ...write,
      handler: (context) => {
        const entry = entryOf(context);
        if (!entry) return notFound(context, context.params["id"]!);
        const index = entry.members.findIndex(
          (id) => id.toLowerCase() === context.params["member"]!.toLowerCase(),
        );
        if (index < 0) return notFound(context, context.params["member"]!);
        entry.members.splice(index, 1);
        return context.empty(204);
      },
    });
  }
  return routes;
}

/**
 * group-post-groups: displayName, mailEnabled, mailNickname and securityEnabled are required; Graph creates
 * Microsoft 365 groups (groupTypes ["Unified"]) and security groups, not mail-enabled security groups.
 */
function newGroup(context: RouteContext, groups: readonly GraphEntity[]): GraphEntity | RouteResponse {
  const body = (context.body ?? {}) as Record<string, unknown>;
  for (const property of ["displayName", "mailEnabled", "mailNickname", "securityEnabled"]) {
    if (body[property] === undefined || body[property] === null || body[property] === "") {
      return context.error(
        400,
        "Request_BadRequest",
        `Invalid value specified for property '${property}' of resource 'Group'.`,
      );
    }
  }
  if (typeof body["mailEnabled"] !== "boolean" || typeof body["securityEnabled"] !== "boolean") {
    return context.error(
      400,
      "Request_BadRequest",
      "Cannot convert the literal to the expected type 'Edm.Boolean'.",
    );
  }
  const groupTypes = Array.isArray(body["groupTypes"]) ? (body["groupTypes"] as string[]) : [];
  if (body["mailEnabled"] && !groupTypes.includes("Unified")) {
    return context.error(
      400,
      "Request_BadRequest",
      "The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false.",
    );
  }
  const nickname = String(body["mailNickname"]);
  if (
    groups.some(
      (group) =>
        String(group["mailNickname"]).toLowerCase() === nickname.toLowerCase() && body["mailEnabled"],
    )
  ) {
    return context.error(
      400,
      "Request_BadRequest",
      "Another object with the same value for property mailNickname already exists.",
    );
  }
  const now = new Date().toISOString();
  const domain = context.tenant?.domains?.[0] ?? "contoso.onmicrosoft.com";
  return {
    id: randomUUID(),
    deletedDateTime: null,
    classification: null,
    createdDateTime: now,
    description: typeof body["description"] === "string" ? body["description"] : null,
    displayName: String(body["displayName"]),
    groupTypes,
    isAssignableToRole: body["isAssignableToRole"] === true ? true : null,
    mail: body["mailEnabled"] ? `${nickname}@${domain}` : null,
    mailEnabled: body["mailEnabled"],
    mailNickname: nickname,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    proxyAddresses: body["mailEnabled"] ? [`SMTP:${nickname}@${domain}`] : [],
    renewedDateTime: now,
    securityEnabled: body["securityEnabled"],
    visibility: typeof body["visibility"] === "string" ? body["visibility"] : null,
  };
}

function groupRoutes(): ServiceRoute[] {
  const seeded = seedGroups();
  const groups = seeded.map(({ group }) => group);
  const entries = seeded.map(({ group, members }) => ({ id: group.id, members }));
  return [
    {
      method: "GET",
      path: "/v1.0/groups",
      roles: GROUPS_READ,
      scopes: GROUPS_READ,
      handler: (context) =>
        listCollection(context, groups, {
          typeName: "microsoft.graph.group",
          entitySet: "groups",
          defaultTop: 100,
          maxTop: 999,
        }),
    },
    {
      method: "GET",
      path: "/v1.0/groups/:id",
      roles: GROUPS_READ,
      scopes: GROUPS_READ,
      handler: (context) => {
        const id = context.params["id"]!;
        const group = groups.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
        return getEntity(context, group, "groups", id);
      },
    },
    {
      method: "POST",
      path: "/v1.0/groups",
      roles: GROUPS_CREATE_ROLES,
      scopes: GROUPS_CREATE_SCOPES,
      handler: (context) => {
        const created = newGroup(context, groups);
        if (!("id" in created)) return created;
        groups.push(created);
        entries.push({ id: created.id, members: [] });
        return context.json(201, {
          "@odata.context": `${graphOrigin(context)}/v1.0/$metadata#groups/$entity`,
          ...created,
        });
      },
    },
    {
      method: "DELETE",
      path: "/v1.0/groups/:id",
      roles: GROUPS_DELETE,
      scopes: GROUPS_DELETE,
      handler: (context) => {
        const id = context.params["id"]!.toLowerCase();
        const index = groups.findIndex((group) => group.id.toLowerCase() === id);
        if (index < 0) return notFound(context, context.params["id"]!);
        groups.splice(index, 1);
        entries.splice(
          entries.findIndex((entry) => entry.id.toLowerCase() === id),
          1,
        );
        return context.empty(204);
      },
    },
    ...memberRoutes(
      "/v1.0/groups",
      entries,
      GROUPS_READ,
      { roles: GROUP_MEMBERS_WRITE, scopes: GROUP_MEMBERS_WRITE },
      true,
    ),
  ];
}

const SERVICE_PRINCIPAL_FIELDS = [
  "accountEnabled",
  "displayName",
  "notes",
  "tags",
  "appRoleAssignmentRequired",
  "preferredSingleSignOnMode",
  "replyUrls",
];

type FindPrincipal = (context: RouteContext) => [GraphEntity | undefined, string];

/**
 * serviceprincipal-addpassword (POST …/addPassword {passwordCredential}: 200 with the credential and its
 * secretText, shown once) and serviceprincipal-removepassword (POST …/removePassword {keyId}: 204).
 */
function passwordRoutes(path: string, find: FindPrincipal): ServiceRoute[] {
  const credentialsOf = (principal: GraphEntity) => {
    if (!Array.isArray(principal["passwordCredentials"])) principal["passwordCredentials"] = [];
    return principal["passwordCredentials"] as Array<Record<string, unknown>>;
  };
  return [
    {
      method: "POST",
      path: `${path}/addPassword`,
      roles: APPS_WRITE_ROLES,
      scopes: APPS_WRITE_SCOPES,
      handler: (context) => {
        const [principal, key] = find(context);
        if (!principal) return notFound(context, key);
        const asked = ((context.body as Record<string, unknown> | undefined)?.["passwordCredential"] ??
          {}) as Record<string, unknown>;
        const start =
          typeof asked["startDateTime"] === "string" ? asked["startDateTime"] : new Date().toISOString();
        const end =
          typeof asked["endDateTime"] === "string"
            ? asked["endDateTime"]
            : new Date(Date.parse(start) + 2 * 365 * 86_400_000).toISOString();
        const secretText = `${randomUUID().replace(/-/g, "").slice(0, 8)}~${randomUUID().replace(/-/g, "")}`;
        const credential = {
          customKeyIdentifier: null,
          displayName: asked["displayName"] ?? null,
          endDateTime: end,
          hint: secretText.slice(0, 3),
          keyId: randomUUID(),
          startDateTime: start,
        };
        credentialsOf(principal).push(credential);
        return context.json(200, {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential",
          ...credential,
          secretText,
        });
      },
    },
    {
      method: "POST",
      path: `${path}/removePassword`,
      roles: APPS_WRITE_ROLES,
      scopes: APPS_WRITE_SCOPES,
      handler: (context) => {
        const [principal, key] = find(context);
        if (!principal) return notFound(context, key);
        const keyId = (context.body as Record<string, unknown> | undefined)?.["keyId"];
        const credentials = credentialsOf(principal);
        const index = credentials.findIndex((credential) => credential["keyId"] === keyId);
        if (index < 0) {
          return context.error(
            400,
            "Request_BadRequest",
            `No password credential found with keyId ${keyId}.`,
          );
        }
        credentials.splice(index, 1);
        return context.empty(204);
      },
    },
  ];
}

function servicePrincipalRoutes(): ServiceRoute[] {
  const principals = seedServicePrincipals();
  const deleted = new Set<string>();
  const live = () => principals.filter((principal) => !deleted.has(principal.id));
  const byId = (id: string) => live().find((principal) => principal.id.toLowerCase() === id.toLowerCase());
  const byAppId = (appId: string) =>
    live().find((principal) => String(principal["appId"]).toLowerCase() === appId.toLowerCase());
  const read =
    (find: (context: RouteContext) => [GraphEntity | undefined, string]) => (context: RouteContext) => {
      const [principal, key] = find(context);
      return getEntity(context, principal, "servicePrincipals", key);
    };
  const update =
    (find: (context: RouteContext) => [GraphEntity | undefined, string]) => (context: RouteContext) => {
      const [principal, key] = find(context);
      if (!principal) return notFound(context, key);
      const body = (context.body ?? {}) as Record<string, unknown>;
      const unknownField = Object.keys(body).find((field) => !SERVICE_PRINCIPAL_FIELDS.includes(field));
      if (unknownField) {
        return context.error(
          400,
          "Request_BadRequest",
          `Property '${unknownField}' is read-only and cannot be set.`,
        );
      }
      Object.assign(principal, body);
      return context.empty(204);
    };
  const remove =
    (find: (context: RouteContext) => [GraphEntity | undefined, string]) => (context: RouteContext) => {
      const [principal, key] = find(context);
      if (!principal) return notFound(context, key);
      deleted.add(principal.id);
      return context.empty(204);
    };
  const byIdParam = (context: RouteContext): [GraphEntity | undefined, string] => [
    byId(context.params["id"]!),
    context.params["id"]!,
  ];
  const routes: ServiceRoute[] = [
    {
      method: "GET",
      path: "/v1.0/servicePrincipals",
      roles: APPS_READ,
      scopes: APPS_READ,
      handler: (context) =>
        listCollection(context, live(), {
          typeName: "microsoft.graph.servicePrincipal",
          entitySet: "servicePrincipals",
          defaultTop: 100,
          maxTop: 999,
        }),
    },
    {
      method: "GET",
      path: "/v1.0/servicePrincipals/:id",
      roles: APPS_READ,
      scopes: APPS_READ,
      handler: read(byIdParam),
    },
    {
      method: "PATCH",
      path: "/v1.0/servicePrincipals/:id",
      roles: APPS_WRITE_ROLES,
      scopes: APPS_WRITE_SCOPES,
      handler: update(byIdParam),
    },
    {
      method: "DELETE",
      path: "/v1.0/servicePrincipals/:id",
      roles: APPS_WRITE_ROLES,
      scopes: APPS_WRITE_SCOPES,
      handler: remove(byIdParam),
    },
    ...passwordRoutes("/v1.0/servicePrincipals/:id", byIdParam),
  ];
  // The alternate key `servicePrincipals(appId='{appId}')` (serviceprincipal-get: "appId" as key), one literal
  // path per seeded app ID: the route patterns have no partial-segment captures.
  for (const principal of principals) {
    const appId = String(principal["appId"]);
    const path = `/v1.0/servicePrincipals(appId='${appId}')`;
    const find = (): [GraphEntity | undefined, string] => [
      byAppId(appId),
      `servicePrincipals(appId='${appId}')`,
    ];
    routes.push(
      { method: "GET", path, roles: APPS_READ, scopes: APPS_READ, handler: read(find) },
      { method: "PATCH", path, roles: APPS_WRITE_ROLES, scopes: APPS_WRITE_SCOPES, handler: update(find) },
      { method: "DELETE", path, roles: APPS_WRITE_ROLES, scopes: APPS_WRITE_SCOPES, handler: remove(find) },
      ...passwordRoutes(path, find),
    );
  }
  return routes;
}

function identityRoutes(): ServiceRoute[] {
  const seeded = seedDirectoryRoles();
  const roles = seeded.map(({ role }) => ({ ...role }));
  const entries = seeded.map(({ role, members }) => ({ id: role.id, members }));
  const policies = seedConditionalAccessPolicies();
  const locations = seedNamedLocations();
  const collection = (entitySet: string, typeName: string) => ({
    entitySet,
    typeName,
    defaultTop: 100,
    maxTop: 999,
  });
  return [
    {
      method: "GET",
      path: "/v1.0/directoryRoles",
      roles: ROLES_READ,
      scopes: ROLES_READ,
      handler: (context) =>
        listCollection(context, roles, collection("directoryRoles", "microsoft.graph.directoryRole")),
    },
    {
      method: "GET",
      path: "/v1.0/directoryRoles/:id",
      roles: ROLES_READ,
      scopes: ROLES_READ,
      handler: (context) => {
        const id = context.params["id"]!;
        return getEntity(
          context,
          roles.find((role) => role.id === id),
          "directoryRoles",
          id,
        );
      },
    },
    // Directory roles have no DELETE $ref in this double: the integration never removes role members.
    ...memberRoutes(
      "/v1.0/directoryRoles",
      entries,
      ROLES_READ,
      { roles: ROLES_WRITE, scopes: ROLES_WRITE },
      false,
    ),
    {
      method: "GET",
      path: "/v1.0/identity/conditionalAccess/policies",
      roles: POLICY_READ,
      scopes: POLICY_READ,
      handler: (context) =>
        listCollection(
          context,
          policies,
          collection("identity/conditionalAccess/policies", "microsoft.graph.conditionalAccessPolicy"),
        ),
    },
    {
      method: "GET",
      path: "/v1.0/identity/conditionalAccess/namedLocations",
      roles: POLICY_READ,
      scopes: POLICY_READ,
      handler: (context) =>
        listCollection(
          context,
          locations,
          collection("identity/conditionalAccess/namedLocations", "microsoft.graph.namedLocation"),
        ),
    },
  ];
}

function organization(context: RouteContext): RouteResponse {
  const tenant = context.tenant;
  if (!tenant) return context.error(404, "Request_ResourceNotFound", "The tenant has no organization.");
  const domains = tenant.domains ?? [];
  const entity: GraphEntity = {
    id: tenant.id,
    displayName: tenant.displayName ?? domains[0] ?? tenant.id,
    countryLetterCode: "US",
    preferredLanguage: "en",
    tenantType: "AAD",
    city: "Redmond",
    state: "WA",
    createdDateTime: "2023-06-01T00:00:00Z",
    verifiedDomains: domains.map((name, index) => ({
      capabilities: "Email, OfficeCommunicationsOnline",
      isDefault: index === 0,
      isInitial: name.endsWith(".onmicrosoft.com"),
      name,
      type: "Managed",
    })),
  };
  return listCollection(context, [entity], {
    entitySet: "organization",
    typeName: "microsoft.graph.organization",
    defaultTop: 100,
    maxTop: 999,
  });
}

const USER_FIELDS = [
  "accountEnabled",
  "displayName",
  "givenName",
  "surname",
  "jobTitle",
  "department",
  "officeLocation",
  "mobilePhone",
  "businessPhones",
  "preferredLanguage",
];

/** Whether the caller's token holds one of `roles` (app-only) or `scopes` (delegated). */
function grants(context: RouteContext, roles: readonly string[], scopes: readonly string[]): boolean {
  const held = new Set(
    [...(context.claims.roles ?? []), ...(context.claims.scp ?? "").split(" ")].map((name) =>
      name.toLowerCase(),
    ),
  );
  return [...roles, ...scopes].some((name) => held.has(name.toLowerCase()));
}

/** user-update of passwordProfile: its own permission, and a password Entra accepts. */
function passwordProfileDenied(context: RouteContext, profile: unknown): RouteResponse | undefined {
  if (!grants(context, PASSWORD_ROLES, PASSWORD_SCOPES)) {
    return context.error(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
  }
  const password = (profile as { password?: unknown } | null)?.password;
  if (typeof password !== "string" || password.length < 8) {
    return context.error(
      400,
      "Request_BadRequest",
      "The specified password does not comply with password complexity requirements. Please provide a different password.",
    );
  }
  return undefined;
}

/** User writes and relationships (user-update, user-revokesigninsessions, manager, directReports). */
function userRoutes(): ServiceRoute[] {
  // Manager of each user (object IDs).
  const managers = new Map<string, string>([
    [USERS.alex, USERS.megan],
    [USERS.megan, USERS.adele],
    [USERS.lynne, USERS.adele],
    [USERS.isaiah, USERS.diego],
  ]);
  const userOr404 = (context: RouteContext): SeedUser | RouteResponse =>
    findUser(context.tenant, context.params["id"]!) ?? notFound(context, context.params["id"]!);
  const isUser = (value: SeedUser | RouteResponse): value is SeedUser => "userPrincipalName" in value;
  return [
    {
      method: "PATCH",
      path: "/v1.0/users/:id",
      roles: [...USERS_WRITE_ROLES, ...PASSWORD_ROLES],
      scopes: [...USERS_WRITE_SCOPES, ...PASSWORD_SCOPES],
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const body = { ...((context.body ?? {}) as Record<string, unknown>) };
        if ("passwordProfile" in body) {
          const denied = passwordProfileDenied(context, body["passwordProfile"]);
          if (denied) return denied;
          user.password = (body["passwordProfile"] as { password: string }).password;
          delete body["passwordProfile"];
        } else if (!grants(context, USERS_WRITE_ROLES, USERS_WRITE_SCOPES)) {
          return context.error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
          );
        }
        const unknownField = Object.keys(body).find((field) => !USER_FIELDS.includes(field));
        if (unknownField) {
          return context.error(
            400,
            "Request_BadRequest",
            `Property '${unknownField}' is read-only or unknown and cannot be set.`,
          );
        }
        Object.assign(user, body);
        return context.empty(204);
      },
    },
    {
      method: "POST",
      path: "/v1.0/users/:id/revokeSignInSessions",
      roles: USERS_REVOKE,
      scopes: USERS_REVOKE,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        return context.json(200, {
          "@odata.context": `${graphOrigin(context)}/v1.0/$metadata#Edm.Boolean`,
          value: true,
        });
      },
    },
    {
      method: "GET",
      path: "/v1.0/users/:id/manager",
      roles: USERS_READ_ROLES,
      scopes: USERS_READ_SCOPES,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const manager = findUser(context.tenant, managers.get(user.id) ?? "");
        if (!manager) return notFound(context, "manager");
        return context.json(200, {
          "@odata.context": `${graphOrigin(context)}/v1.0/$metadata#directoryObjects/$entity`,
          ...memberOf(manager),
        });
      },
    },
    {
      method: "PUT",
      path: "/v1.0/users/:id/manager/$ref",
      roles: USERS_WRITE_ROLES,
      scopes: USERS_WRITE_SCOPES,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const managerId = referencedId(context.body);
        const manager = managerId === undefined ? undefined : findUser(context.tenant, managerId);
        if (!manager) return notFound(context, managerId ?? "@odata.id");
        managers.set(user.id, manager.id);
        return context.empty(204);
      },
    },
    {
      method: "GET",
      path: "/v1.0/users/:id/directReports",
      roles: USERS_READ_ROLES,
      scopes: USERS_READ_SCOPES,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const reports = (context.tenant?.users ?? []).filter(
          (candidate) => managers.get(candidate.id) === user.id,
        );
        return listCollection(context, reports.map(memberOf), {
          entitySet: "directoryObjects",
          typeName: "microsoft.graph.directoryObject",
          defaultTop: 100,
          maxTop: 999,
        });
      },
    },
  ];
}

/**
 * Microsoft Graph beyond the user reads of src/graph/users.ts: groups and members, service principals, directory
 * roles, Conditional Access, the organization, user writes, Entra ID Protection, Intune managed devices and
 * Microsoft 365 Defender's alerts, incidents and advanced hunting.
 */
export const graphDirectoryService: EmulatedService = {
  key: "graph",
  displayName: "Microsoft Graph",
  dialect: "graph",
  // Graph's audiences (every cloud's, and its app ID) are in the emulator's base resource table
  // (src/resources.ts): listing them here too would let another registration take them over.
  audiences: [],
  hosts:
    /^(graph\.microsoft\.com|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/i,
  demoRoles: DEMO_PERMISSIONS,
  demoScopes: DEMO_PERMISSIONS,
  routes: () => {
    const v1: ServiceRoute[] = [
      ...groupRoutes(),
      ...servicePrincipalRoutes(),
      ...identityRoutes(),
      {
        method: "GET",
        path: "/v1.0/organization",
        roles: ORGANIZATION_ROLES,
        scopes: ORGANIZATION_SCOPES,
        handler: organization,
      },
      ...userRoutes(),
      ...userAdminRoutes(),
      ...securityRoutes(),
    ];
    // The beta endpoint serves the same data (msgraph-api-request's api_version=beta): one copy of the state.
    const beta = v1.map((route) => ({ ...route, path: route.path.replace(/^\/v1\.0\//, "/beta/") }));
    return [...v1, ...beta];
  },
};
