import { randomBytes, randomUUID } from "node:crypto";
import type { RouteContext, RouteResponse, SeedUser } from "../types.js";
import { type GraphEntity, graphOrigin, listCollection, notFound } from "./graph-collection.js";
import { USERS } from "./graph-seed.js";
import type { ServiceRoute } from "./types.js";

// Permissions of each route: the "Permissions" table of the call's page on learn.microsoft.com/graph/api, least
// privileged first.
/** user-post-users: User.ReadWrite.All, then Directory.ReadWrite.All (application and delegated). */
const USERS_CREATE = ["User.ReadWrite.All", "Directory.ReadWrite.All"];
/** user-delete: User.ReadWrite.All only (application and delegated). */
const USERS_DELETE = ["User.ReadWrite.All"];
/** authentication-list-methods, temporaryaccesspassauthenticationmethod-get/list (another user's methods). */
const AUTH_METHODS_READ = ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"];
/** authentication-post-temporaryaccesspassmethods, temporaryaccesspassauthenticationmethod-delete. */
const AUTH_METHODS_WRITE = ["UserAuthenticationMethod.ReadWrite.All"];

/** authenticationmethod-resetpassword: delegated UserAuthenticationMethod.ReadWrite.All; no application permission. */
const RESET_PASSWORD_SCOPES = ["UserAuthenticationMethod.ReadWrite.All"];

/** The ID Graph gives every user's password method (authentication-list-passwordmethods). */
const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
/** The ID Graph gives a user's mobile phone method (phoneauthenticationmethod). */
const MOBILE_PHONE_METHOD_ID = "3179e48a-750b-4051-897c-87b9720928f7";

/** A Temporary Access Pass as Graph stores it; `pass` is returned only by the POST that creates it. */
interface TapMethod {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

function usability(tap: TapMethod, now: number): { isUsable: boolean; methodUsabilityReason: string } {
  const start = Date.parse(tap.startDateTime);
  if (now < start) return { isUsable: false, methodUsabilityReason: "NotYetValid" };
  if (now > start + tap.lifetimeInMinutes * 60_000)
    return { isUsable: false, methodUsabilityReason: "Expired" };
  return { isUsable: true, methodUsabilityReason: "EnabledByPolicy" };
}

function tapEntity(tap: TapMethod, pass: string | null): GraphEntity {
  return {
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    id: tap.id,
    temporaryAccessPass: pass,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    ...usability(tap, Date.now()),
  };
}

/** Seeded methods beside everyone's password: an Authenticator app for Adele, a mobile phone for Megan. */
function seedMethods(): Map<string, GraphEntity[]> {
  return new Map<string, GraphEntity[]>([
    [
      USERS.adele,
      [
        {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
          id: "6b9f3c1e-2d4a-4e8b-9c7f-1a2b3c4d5e6f",
          displayName: "iPhone 15",
          deviceTag: "SoftwareTokenActivated",
          phoneAppVersion: "6.8.12",
          createdDateTime: "2024-03-04T10:15:00Z",
        },
      ],
    ],
    [
      USERS.megan,
      [
        {
          "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
          id: MOBILE_PHONE_METHOD_ID,
          phoneNumber: "+1 4255550199",
          phoneType: "mobile",
          smsSignInState: "notAllowedByPolicy",
        },
      ],
    ],
  ]);
}

function findUser(context: RouteContext, key: string): SeedUser | undefined {
  const wanted = key.toLowerCase();
  return (context.tenant?.users ?? []).find(
    (user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
  );
}

const badRequest = (context: RouteContext, message: string) =>
  context.error(400, "Request_BadRequest", message);

/** user-post-users: the properties a new user requires, the UPN on a verified domain and unique. */
function createUser(context: RouteContext): RouteResponse {
  const body = (context.body ?? {}) as Record<string, unknown>;
  for (const property of [
    "accountEnabled",
    "displayName",
    "mailNickname",
    "passwordProfile",
    "userPrincipalName",
  ]) {
    if (body[property] === undefined || body[property] === null || body[property] === "") {
      return badRequest(context, `Invalid value specified for property '${property}' of resource 'User'.`);
    }
  }
  if (typeof body["accountEnabled"] !== "boolean") {
    return badRequest(context, "Cannot convert the literal to the expected type 'Edm.Boolean'.");
  }
  const password = (body["passwordProfile"] as { password?: unknown }).password;
  if (typeof password !== "string" || password.length < 8) {
    return badRequest(
      context,
      "The specified password does not comply with password complexity requirements.",
    );
  }
  const upn = String(body["userPrincipalName"]);
  const domain = upn.split("@")[1]?.toLowerCase();
  if (!domain || !(context.tenant?.domains ?? []).some((name) => name.toLowerCase() === domain)) {
    return badRequest(
      context,
      `The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.`,
    );
  }
  if (findUser(context, upn)) {
    return badRequest(
      context,
      "Another object with the same value for property userPrincipalName already exists.",
    );
  }
  const user: SeedUser = {
    id: randomUUID(),
    userPrincipalName: upn,
    displayName: String(body["displayName"]),
    accountEnabled: body["accountEnabled"],
    password,
  };
  for (const field of [
    "givenName",
    "surname",
    "jobTitle",
    "department",
    "officeLocation",
    "mobilePhone",
  ] as const) {
    if (typeof body[field] === "string") user[field] = body[field];
  }
  if (typeof body["mail"] === "string") user.mail = body["mail"];
  context.tenant?.users?.push(user);
  return context.json(201, {
    "@odata.context": `${graphOrigin(context)}/v1.0/$metadata#users/$entity`,
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    jobTitle: user.jobTitle ?? null,
    mail: user.mail ?? null,
    mobilePhone: user.mobilePhone ?? null,
    officeLocation: user.officeLocation ?? null,
    preferredLanguage: null,
    surname: user.surname ?? null,
    userPrincipalName: user.userPrincipalName,
  });
}

function deleteUser(context: RouteContext): RouteResponse {
  const user = findUser(context, context.params["id"]!);
  if (!user) return notFound(context, context.params["id"]!);
  const users = context.tenant!.users!;
  users.splice(users.indexOf(user), 1);
  return context.empty(204);
}

/** A Temporary Access Pass as Microsoft generates one: 8 characters from letters, digits and symbols. */
function newPass(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%&*";
  return [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

function tapRoutes(taps: Map<string, TapMethod>, methods: Map<string, GraphEntity[]>): ServiceRoute[] {
  const base = "/v1.0/users/:id/authentication";
  const userOr404 = (context: RouteContext): SeedUser | RouteResponse =>
    findUser(context, context.params["id"]!) ?? notFound(context, context.params["id"]!);
  const isUser = (value: SeedUser | RouteResponse): value is SeedUser => "userPrincipalName" in value;
  const collection = (entitySet: string, typeName: string) => ({
    entitySet,
    typeName,
    defaultTop: 100,
    maxTop: 999,
  });
  return [
    {
      method: "GET",
      path: `${base}/methods`,
      roles: AUTH_METHODS_READ,
      scopes: AUTH_METHODS_READ,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const password: GraphEntity = {
          "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
          id: PASSWORD_METHOD_ID,
          password: null,
          createdDateTime: "2023-06-01T00:00:00Z",
        };
        const tap = taps.get(user.id);
        const all = [password, ...(methods.get(user.id) ?? []), ...(tap ? [tapEntity(tap, null)] : [])];
        return listCollection(
          context,
          all,
          collection(`users('${user.id}')/authentication/methods`, "microsoft.graph.authenticationMethod"),
        );
      },
    },
    {
      method: "GET",
      path: `${base}/temporaryAccessPassMethods`,
      roles: AUTH_METHODS_READ,
      scopes: AUTH_METHODS_READ,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const tap = taps.get(user.id);
        return listCollection(
          context,
          tap ? [tapEntity(tap, null)] : [],
          collection(
            `users('${user.id}')/authentication/temporaryAccessPassMethods`,
            "microsoft.graph.temporaryAccessPassAuthenticationMethod",
          ),
        );
      },
    },
    {
      method: "POST",
      path: `${base}/temporaryAccessPassMethods`,
      roles: AUTH_METHODS_WRITE,
      scopes: AUTH_METHODS_WRITE,
      handler: (context) => createTap(context, taps, userOr404, isUser),
    },
    {
      method: "DELETE",
      path: `${base}/temporaryAccessPassMethods/:method`,
      roles: AUTH_METHODS_WRITE,
      scopes: AUTH_METHODS_WRITE,
      handler: (context) => {
        const user = userOr404(context);
        if (!isUser(user)) return user;
        const tap = taps.get(user.id);
        if (!tap || tap.id.toLowerCase() !== context.params["method"]!.toLowerCase()) {
          return notFound(context, context.params["method"]!);
        }
        taps.delete(user.id);
        return context.empty(204);
      },
    },
  ];
}

/**
 * authentication-list-passwordmethods (GET .../passwordMethods, the one password method) and
 * authenticationmethod-resetpassword (POST .../methods/{id}/resetPassword {newPassword}: 202 Accepted, then the reset
 * runs; a Location header names the operation). Only a signed-in administrator may reset: no application permission.
 */
function passwordResetRoutes(): ServiceRoute[] {
  const base = "/v1.0/users/:id/authentication";
  return [
    {
      method: "GET",
      path: `${base}/passwordMethods`,
      roles: AUTH_METHODS_READ,
      scopes: AUTH_METHODS_READ,
      handler: (context) => {
        const user = findUser(context, context.params["id"]!);
        if (!user) return notFound(context, context.params["id"]!);
        return listCollection(
          context,
          [{ id: PASSWORD_METHOD_ID, password: null, createdDateTime: "2023-06-01T00:00:00Z" }],
          {
            entitySet: `users('${user.id}')/authentication/passwordMethods`,
            typeName: "microsoft.graph.passwordAuthenticationMethod",
            defaultTop: 100,
            maxTop: 999,
          },
        );
      },
    },
    {
      method: "POST",
      path: `${base}/methods/:method/resetPassword`,
      roles: [],
      scopes: RESET_PASSWORD_SCOPES,
      handler: (context) => {
        const user = findUser(context, context.params["id"]!);
        if (!user) return notFound(context, context.params["id"]!);
        if (context.params["method"]!.toLowerCase() !== PASSWORD_METHOD_ID) {
          return notFound(context, context.params["method"]!);
        }
        const newPassword = (context.body as { newPassword?: unknown } | undefined)?.newPassword;
        if (newPassword !== undefined && (typeof newPassword !== "string" || newPassword.length < 8)) {
          return context.error(
            400,
            "Request_BadRequest",
            "The specified password does not comply with password complexity requirements.",
          );
        }
        if (typeof newPassword === "string") user.password = newPassword;
        const operation = randomUUID();
        const accepted = context.empty(202);
        return {
          ...accepted,
          headers: {
            ...accepted.headers,
            location: `${graphOrigin(context)}/v1.0/users/${user.id}/authentication/operations/${operation}`,
          },
        };
      },
    },
  ];
}

/** authentication-post-temporaryaccesspassmethods: one pass per user, 10 to 43200 minutes (policy bounds). */
function createTap(
  context: RouteContext,
  taps: Map<string, TapMethod>,
  userOr404: (context: RouteContext) => SeedUser | RouteResponse,
  isUser: (value: SeedUser | RouteResponse) => value is SeedUser,
): RouteResponse {
  const user = userOr404(context);
  if (!isUser(user)) return user;
  const body = (context.body ?? {}) as Record<string, unknown>;
  const lifetime = body["lifetimeInMinutes"] ?? 60;
  if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43200) {
    return context.error(400, "badRequest", "lifetimeInMinutes must be between 10 and 43200.");
  }
  if (body["isUsableOnce"] !== undefined && typeof body["isUsableOnce"] !== "boolean") {
    return context.error(400, "badRequest", "isUsableOnce must be a boolean.");
  }
  const start = body["startDateTime"] ?? new Date().toISOString();
  if (typeof start !== "string" || Number.isNaN(Date.parse(start))) {
    return context.error(400, "badRequest", "startDateTime is not a valid date and time.");
  }
  if (taps.has(user.id)) {
    return context.error(
      400,
      "badRequest",
      "The user already has a Temporary Access Pass. Delete it before creating a new one.",
    );
  }
  const tap: TapMethod = {
    id: randomUUID(),
    createdDateTime: new Date().toISOString(),
    startDateTime: new Date(start).toISOString(),
    lifetimeInMinutes: lifetime,
    isUsableOnce: body["isUsableOnce"] === true,
  };
  taps.set(user.id, tap);
  return context.json(201, {
    "@odata.context": `${graphOrigin(context)}/v1.0/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
    ...tapEntity(tap, newPass()),
  });
}

/**
 * User creation and deletion (user-post-users, user-delete) and authentication methods (authentication-list-methods,
 * Temporary Access Pass list, create and delete), with a pass seeded for Lynne Robbins.
 */
export function userAdminRoutes(): ServiceRoute[] {
  const seededAt = new Date(Date.now() - 10 * 60_000).toISOString();
  const taps = new Map<string, TapMethod>([
    [
      USERS.lynne,
      {
        id: "f1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8",
        createdDateTime: seededAt,
        startDateTime: seededAt,
        lifetimeInMinutes: 480,
        isUsableOnce: false,
      },
    ],
  ]);
  return [
    { method: "POST", path: "/v1.0/users", roles: USERS_CREATE, scopes: USERS_CREATE, handler: createUser },
    {
      method: "DELETE",
      path: "/v1.0/users/:id",
      roles: USERS_DELETE,
      scopes: USERS_DELETE,
      handler: deleteUser,
    },
    ...tapRoutes(taps, seedMethods()),
    ...passwordResetRoutes(),
  ];
}

/** The application permissions the demo apps get for these routes. */
export const USER_ADMIN_DEMO_ROLES = ["UserAuthenticationMethod.ReadWrite.All"];
