import { readFileSync } from "node:fs";
import type { EmulatorSeed } from "./types.js";

/** Tenant ID of the demo tenant (contoso.onmicrosoft.com). */
export const DEMO_TENANT_ID = "84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970";
/** Verified domain of the demo tenant. */
export const DEMO_TENANT_DOMAIN = "contoso.onmicrosoft.com";
/** Client ID of the "msint demo" app: valid secret, Graph `User.Read.All` granted. */
export const DEMO_CLIENT_ID = "04f77691-7058-45b2-bf86-6743a19099f6";
/** The demo app's secret. A public, fake value: it only works against the emulator. */
export const DEMO_CLIENT_SECRET = "demo-secret-not-for-production";
/** Client ID of an app whose only secret has expired (AADSTS7000222). */
export const DEMO_EXPIRED_CLIENT_ID = "1f0067d6-5bb0-44a5-b9a7-8d49af0c9caa";
/** The expired app's (expired) secret. */
export const DEMO_EXPIRED_CLIENT_SECRET = "demo-expired-secret-not-for-production";
/** Client ID of an app with a valid secret but no Graph permission (Graph answers 403). */
export const DEMO_NO_GRANT_CLIENT_ID = "b31782f3-d07c-4c24-a16e-f7b286db2553";
/** The no-grant app's secret. */
export const DEMO_NO_GRANT_CLIENT_SECRET = "demo-nogrant-secret-not-for-production";
/** Client ID of a public client app (for user flows). */
export const DEMO_PUBLIC_CLIENT_ID = "244b387b-6b2e-4efa-b5c0-03e9e89393eb";
/** Password of every demo user. A public, fake value. */
export const DEMO_USER_PASSWORD = "demo-password-not-for-production";

function demoUser(
  id: string,
  givenName: string,
  surname: string,
  alias: string,
  jobTitle: string,
  department: string,
  officeLocation: string,
  accountEnabled = true,
) {
  const upn = `${alias}@${DEMO_TENANT_DOMAIN}`;
  return {
    id,
    userPrincipalName: upn,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: upn,
    jobTitle,
    department,
    officeLocation,
    businessPhones: [] as string[],
    preferredLanguage: "en-US",
    accountEnabled,
    password: DEMO_USER_PASSWORD,
  };
}

/** The default seed: the Contoso demo tenant with three confidential apps, a public client and six users. */
export const demoSeed: EmulatorSeed = {
  tenants: [
    {
      id: DEMO_TENANT_ID,
      displayName: "Contoso",
      domains: [DEMO_TENANT_DOMAIN],
      apps: [
        {
          clientId: DEMO_CLIENT_ID,
          displayName: "msint demo",
          servicePrincipalId: "5e010d01-8e77-464e-8e75-a908e6b5aec2",
          secrets: [
            {
              id: "9a1c3e5f-2b4d-4f60-8a7c-1e3f5a7c9b0d",
              value: DEMO_CLIENT_SECRET,
              expiresOn: "2099-12-31T00:00:00Z",
            },
          ],
          redirectUris: ["http://localhost:8400/callback"],
          grants: { graph: ["User.Read.All"] },
        },
        {
          clientId: DEMO_EXPIRED_CLIENT_ID,
          displayName: "msint demo (expired secret)",
          servicePrincipalId: "bc93ece2-0d0d-4113-93c1-166f2f8bdb98",
          secrets: [
            {
              id: "3d5f7a9c-1b2e-4c4d-8e6f-0a1b2c3d4e5f",
              value: DEMO_EXPIRED_CLIENT_SECRET,
              expiresOn: "2024-01-31T00:00:00Z",
            },
          ],
          grants: { graph: ["User.Read.All"] },
        },
        {
          clientId: DEMO_NO_GRANT_CLIENT_ID,
          displayName: "msint demo (no Graph permission)",
          servicePrincipalId: "f9383898-50f8-4906-b5db-e832dedf0b0f",
          secrets: [{ value: DEMO_NO_GRANT_CLIENT_SECRET, expiresOn: "2099-12-31T00:00:00Z" }],
          grants: {},
        },
        {
          clientId: DEMO_PUBLIC_CLIENT_ID,
          displayName: "msint demo (public client)",
          publicClient: true,
          redirectUris: ["http://localhost"],
        },
      ],
      users: [
        demoUser(
          "6e7b768e-07e2-4810-8459-485f84f8f204",
          "Adele",
          "Vance",
          "adelev",
          "Retail Manager",
          "Retail",
          "18/2111",
        ),
        demoUser(
          "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
          "Alex",
          "Wilber",
          "alexw",
          "Marketing Assistant",
          "Marketing",
          "131/1104",
        ),
        demoUser(
          "626cbf8c-5dde-46b0-8385-9e40d64736fe",
          "Diego",
          "Siciliani",
          "diegos",
          "HR Manager",
          "HR",
          "14/1108",
        ),
        demoUser(
          "074e56ea-0b50-4461-89e5-c67ae14a2c0b",
          "Isaiah",
          "Langer",
          "isaiahl",
          "Sales Rep",
          "Sales",
          "20/1101",
        ),
        demoUser(
          "08fa38e4-cbfa-4488-94ed-c834da6539df",
          "Megan",
          "Bowen",
          "meganb",
          "Marketing Manager",
          "Marketing",
          "12/1110",
        ),
        demoUser(
          "e3d0513b-449e-4198-ba6f-bd97ae7cae85",
          "Lynne",
          "Robbins",
          "lynner",
          "Planner",
          "Retail",
          "20/1104",
          false,
        ),
      ],
    },
  ],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a GUID (any case). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

class SeedChecker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path} ${message}`);
  }

  object(value: unknown, path: string, allowed: readonly string[]): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(path, "must be an object");
      return false;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        this.fail(`${path}.${key}`, `is not a known field (expected one of: ${allowed.join(", ")})`);
    }
    return true;
  }

  string(record: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const value = record[key];
    if (value === undefined) {
      if (required) this.fail(`${path}.${key}`, "is required");
      return undefined;
    }
    if (typeof value !== "string" || value.length === 0) {
      this.fail(`${path}.${key}`, "must be a non-empty string");
      return undefined;
    }
    return value;
  }

  guid(record: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const value = this.string(record, key, path, required);
    if (value !== undefined && !isGuid(value)) this.fail(`${path}.${key}`, `must be a GUID, got '${value}'`);
    return value;
  }

  boolean(record: Record<string, unknown>, key: string, path: string): void {
    const value = record[key];
    if (value !== undefined && typeof value !== "boolean")
      this.fail(`${path}.${key}`, "must be true or false");
  }

  array(
    record: Record<string, unknown>,
    key: string,
    path: string,
    required: boolean,
  ): unknown[] | undefined {
    const value = record[key];
    if (value === undefined) {
      if (required) this.fail(`${path}.${key}`, "is required");
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.fail(`${path}.${key}`, "must be an array");
      return undefined;
    }
    return value;
  }

  stringArray(record: Record<string, unknown>, key: string, path: string): void {
    const value = this.array(record, key, path, false);
    value?.forEach((item, index) => {
      if (typeof item !== "string") this.fail(`${path}.${key}[${index}]`, "must be a string");
    });
  }

  unique(seen: Set<string>, value: string | undefined, path: string, what: string): void {
    if (value === undefined) return;
    const folded = value.toLowerCase();
    if (seen.has(folded)) this.fail(path, `duplicates ${what} '${value}'`);
    seen.add(folded);
  }
}

const TENANT_FIELDS = ["id", "displayName", "domains", "apps", "users"] as const;
const APP_FIELDS = [
  "clientId",
  "displayName",
  "servicePrincipalId",
  "secrets",
  "certificates",
  "redirectUris",
  "publicClient",
  "grants",
] as const;
const SECRET_FIELDS = ["id", "value", "expiresOn"] as const;
const USER_FIELDS = [
  "id",
  "userPrincipalName",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "jobTitle",
  "department",
  "officeLocation",
  "mobilePhone",
  "businessPhones",
  "preferredLanguage",
  "accountEnabled",
  "password",
] as const;

function checkSeed(seed: unknown, check: SeedChecker): void {
  if (!check.object(seed, "seed", ["tenants"])) return;
  const tenants = check.array(seed, "tenants", "seed", true);
  const tenantKeys = new Set<string>();
  tenants?.forEach((tenant, t) => {
    const tPath = `seed.tenants[${t}]`;
    if (!check.object(tenant, tPath, TENANT_FIELDS)) return;
    check.unique(tenantKeys, check.guid(tenant, "id", tPath, true), `${tPath}.id`, "tenant");
    check.string(tenant, "displayName", tPath, false);
    check.stringArray(tenant, "domains", tPath);
    const domains = Array.isArray(tenant["domains"]) ? tenant["domains"] : [];
    domains.forEach((domain, d) => {
      if (typeof domain === "string")
        check.unique(tenantKeys, domain, `${tPath}.domains[${d}]`, "tenant domain");
    });
    const apps = check.array(tenant, "apps", tPath, true);
    const clientIds = new Set<string>();
    apps?.forEach((app, a) => {
      const aPath = `${tPath}.apps[${a}]`;
      if (!check.object(app, aPath, APP_FIELDS)) return;
      check.unique(clientIds, check.guid(app, "clientId", aPath, true), `${aPath}.clientId`, "client ID");
      check.string(app, "displayName", aPath, true);
      check.guid(app, "servicePrincipalId", aPath, false);
      check.boolean(app, "publicClient", aPath);
      check.stringArray(app, "redirectUris", aPath);
      check.array(app, "secrets", aPath, false)?.forEach((secret, s) => {
        const sPath = `${aPath}.secrets[${s}]`;
        if (!check.object(secret, sPath, SECRET_FIELDS)) return;
        check.string(secret, "id", sPath, false);
        check.string(secret, "value", sPath, true);
        const expiresOn = check.string(secret, "expiresOn", sPath, false);
        if (expiresOn !== undefined && Number.isNaN(Date.parse(expiresOn))) {
          check.fail(`${sPath}.expiresOn`, `must be an ISO 8601 date, got '${expiresOn}'`);
        }
      });
      check.array(app, "certificates", aPath, false)?.forEach((certificate, c) => {
        const cPath = `${aPath}.certificates[${c}]`;
        if (check.object(certificate, cPath, ["pem"])) check.string(certificate, "pem", cPath, true);
      });
      const grants = app["grants"];
      if (grants !== undefined && check.object(grants, `${aPath}.grants`, Object.keys(grants as object))) {
        for (const resource of Object.keys(grants)) check.stringArray(grants, resource, `${aPath}.grants`);
      }
    });
    const userIds = new Set<string>();
    const upns = new Set<string>();
    check.array(tenant, "users", tPath, false)?.forEach((user, u) => {
      const uPath = `${tPath}.users[${u}]`;
      if (!check.object(user, uPath, USER_FIELDS)) return;
      check.unique(userIds, check.guid(user, "id", uPath, true), `${uPath}.id`, "user ID");
      const upn = check.string(user, "userPrincipalName", uPath, true);
      if (upn !== undefined && !upn.includes("@")) {
        check.fail(`${uPath}.userPrincipalName`, `must look like name@domain, got '${upn}'`);
      }
      check.unique(upns, upn, `${uPath}.userPrincipalName`, "user principal name");
      check.string(user, "displayName", uPath, true);
      for (const key of ["givenName", "surname", "mail", "jobTitle", "department", "officeLocation"]) {
        check.string(user, key, uPath, false);
      }
      for (const key of ["mobilePhone", "preferredLanguage", "password"])
        check.string(user, key, uPath, false);
      check.stringArray(user, "businessPhones", uPath);
      check.boolean(user, "accountEnabled", uPath);
    });
  });
}

/**
 * Resolve and validate a seed: an object, or the path of a JSON file. Returns a deep copy, so the emulator
 * never mutates the caller's object. Throws one error listing every problem, each named by its JSON path
 * (e.g. `seed.tenants[0].apps[1].clientId must be a GUID, got 'abc'`).
 */
export function loadSeed(pathOrObject: EmulatorSeed | string): EmulatorSeed {
  let raw: unknown = pathOrObject;
  let source = "seed";
  if (typeof pathOrObject === "string") {
    source = `seed file ${pathOrObject}`;
    let text: string;
    try {
      text = readFileSync(pathOrObject, "utf8");
    } catch (error) {
      throw new Error(`Cannot read emulator ${source}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new Error(`Invalid emulator ${source}: not valid JSON (${(error as Error).message})`);
    }
  }
  const check = new SeedChecker();
  checkSeed(raw, check);
  if (check.problems.length > 0) {
    throw new Error(`Invalid emulator ${source}:\n  - ${check.problems.join("\n  - ")}`);
  }
  return structuredClone(raw) as EmulatorSeed;
}
