import { X509Certificate } from "node:crypto";

/** Validation of seeds: every problem is collected with its JSON path. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a GUID (any case). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export class SeedChecker {
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

const TENANT_FIELDS = ["id", "displayName", "domains", "apps", "users", "refreshTokenReuse"] as const;
const APP_FIELDS = [
  "clientId",
  "displayName",
  "servicePrincipalId",
  "secrets",
  "certificates",
  "redirectUris",
  "publicClient",
  "grants",
  "delegatedPermissions",
  "federatedCredentials",
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
  "isAdmin",
] as const;
const MANAGED_IDENTITY_FIELDS = [
  "tenantId",
  "systemAssigned",
  "clientId",
  "principalId",
  "resourceId",
  "grants",
] as const;
const BROKER_FIELDS = [
  "id",
  "appName",
  "key",
  "tenantId",
  "clientId",
  "kind",
  "refreshToken",
  "userPrincipalName",
] as const;

/** `{ resourceKey: string[] }` maps (application grants, delegated permissions). */
function checkPermissionMap(
  check: SeedChecker,
  record: Record<string, unknown>,
  key: string,
  path: string,
): void {
  const value = record[key];
  if (value === undefined || !check.object(value, `${path}.${key}`, Object.keys(value as object))) return;
  for (const resource of Object.keys(value)) check.stringArray(value, resource, `${path}.${key}`);
}

function checkEnum(
  check: SeedChecker,
  record: Record<string, unknown>,
  key: string,
  path: string,
  allowed: readonly string[],
  required = false,
): void {
  const value = check.string(record, key, path, required);
  if (value !== undefined && !allowed.includes(value)) {
    check.fail(
      `${path}.${key}`,
      `must be one of ${allowed.map((item) => `'${item}'`).join(", ")}, got '${value}'`,
    );
  }
}

function checkCertificate(check: SeedChecker, certificate: unknown, path: string): void {
  if (!check.object(certificate, path, ["pem"])) return;
  const pem = check.string(certificate, "pem", path, true);
  if (pem === undefined) return;
  try {
    new X509Certificate(pem);
  } catch {
    check.fail(`${path}.pem`, "must be an X.509 certificate in PEM form (-----BEGIN CERTIFICATE-----)");
  }
}

function checkApp(check: SeedChecker, app: unknown, aPath: string, clientIds: Set<string>): void {
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
    checkCertificate(check, certificate, `${aPath}.certificates[${c}]`);
  });
  checkPermissionMap(check, app, "grants", aPath);
  checkPermissionMap(check, app, "delegatedPermissions", aPath);
  check.array(app, "federatedCredentials", aPath, false)?.forEach((credential, f) => {
    const fPath = `${aPath}.federatedCredentials[${f}]`;
    if (!check.object(credential, fPath, ["name", "issuer", "subject", "audiences"])) return;
    check.string(credential, "name", fPath, false);
    check.string(credential, "issuer", fPath, true);
    check.string(credential, "subject", fPath, true);
    check.stringArray(credential, "audiences", fPath);
  });
}

function checkUser(
  check: SeedChecker,
  user: unknown,
  uPath: string,
  userIds: Set<string>,
  upns: Set<string>,
): void {
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
  for (const key of ["mobilePhone", "preferredLanguage", "password"]) check.string(user, key, uPath, false);
  check.stringArray(user, "businessPhones", uPath);
  check.boolean(user, "accountEnabled", uPath);
  check.boolean(user, "isAdmin", uPath);
}

function checkTenant(check: SeedChecker, tenant: unknown, tPath: string, tenantKeys: Set<string>): void {
  if (!check.object(tenant, tPath, TENANT_FIELDS)) return;
  check.unique(tenantKeys, check.guid(tenant, "id", tPath, true), `${tPath}.id`, "tenant");
  check.string(tenant, "displayName", tPath, false);
  check.stringArray(tenant, "domains", tPath);
  checkEnum(check, tenant, "refreshTokenReuse", tPath, ["allow", "reject"]);
  const domains = Array.isArray(tenant["domains"]) ? tenant["domains"] : [];
  domains.forEach((domain, d) => {
    if (typeof domain === "string")
      check.unique(tenantKeys, domain, `${tPath}.domains[${d}]`, "tenant domain");
  });
  const clientIds = new Set<string>();
  check.array(tenant, "apps", tPath, true)?.forEach((app, a) => {
    checkApp(check, app, `${tPath}.apps[${a}]`, clientIds);
  });
  const userIds = new Set<string>();
  const upns = new Set<string>();
  check.array(tenant, "users", tPath, false)?.forEach((user, u) => {
    checkUser(check, user, `${tPath}.users[${u}]`, userIds, upns);
  });
}

/** The tenant (as a raw seed object) with this ID, if the seed has it. */
function rawTenant(seed: Record<string, unknown>, id: unknown): Record<string, unknown> | undefined {
  if (typeof id !== "string" || !Array.isArray(seed["tenants"])) return undefined;
  return (seed["tenants"] as unknown[]).find(
    (tenant): tenant is Record<string, unknown> =>
      typeof tenant === "object" &&
      tenant !== null &&
      String((tenant as Record<string, unknown>)["id"]).toLowerCase() === id.toLowerCase(),
  );
}

function checkKnownTenant(
  check: SeedChecker,
  seed: Record<string, unknown>,
  tenantId: string | undefined,
  path: string,
) {
  const tenant = rawTenant(seed, tenantId);
  if (tenantId !== undefined && isGuid(tenantId) && !tenant) {
    check.fail(`${path}.tenantId`, `names no tenant of the seed: '${tenantId}'`);
  }
  return tenant;
}

function checkManagedIdentities(check: SeedChecker, seed: Record<string, unknown>): void {
  let systemAssigned = 0;
  const clientIds = new Set<string>();
  check.array(seed, "managedIdentities", "seed", false)?.forEach((identity, i) => {
    const path = `seed.managedIdentities[${i}]`;
    if (!check.object(identity, path, MANAGED_IDENTITY_FIELDS)) return;
    checkKnownTenant(check, seed, check.guid(identity, "tenantId", path, true), path);
    check.boolean(identity, "systemAssigned", path);
    const isSystem = identity["systemAssigned"] === true;
    if (isSystem) systemAssigned++;
    check.unique(
      clientIds,
      check.guid(identity, "clientId", path, !isSystem),
      `${path}.clientId`,
      "client ID",
    );
    check.guid(identity, "principalId", path, true);
    check.string(identity, "resourceId", path, false);
    checkPermissionMap(check, identity, "grants", path);
  });
  if (systemAssigned > 1) check.fail("seed.managedIdentities", "may have only one system-assigned identity");
}

function checkBrokerKey(check: SeedChecker, key: string | undefined, path: string): void {
  if (key === undefined) return;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, "base64").length : 0;
  if (![16, 24, 32].includes(bytes))
    check.fail(`${path}.key`, "must be base64 of a 16, 24 or 32 byte AES key");
}

function checkBrokerRegistrations(check: SeedChecker, seed: Record<string, unknown>): void {
  const ids = new Set<string>();
  check.array(seed, "brokerRegistrations", "seed", false)?.forEach((registration, r) => {
    const path = `seed.brokerRegistrations[${r}]`;
    if (!check.object(registration, path, BROKER_FIELDS)) return;
    check.unique(ids, check.string(registration, "id", path, true), `${path}.id`, "registration ID");
    check.string(registration, "appName", path, true);
    checkBrokerKey(check, check.string(registration, "key", path, true), path);
    const tenant = checkKnownTenant(check, seed, check.guid(registration, "tenantId", path, true), path);
    const clientId = check.guid(registration, "clientId", path, true);
    const apps = Array.isArray(tenant?.["apps"]) ? (tenant["apps"] as Array<Record<string, unknown>>) : [];
    if (
      tenant &&
      clientId &&
      !apps.some((app) => String(app?.["clientId"]).toLowerCase() === clientId.toLowerCase())
    ) {
      check.fail(`${path}.clientId`, `names no app of tenant '${String(tenant["id"])}': '${clientId}'`);
    }
    checkEnum(check, registration, "kind", path, ["application", "delegated"], true);
    check.string(registration, "refreshToken", path, false);
    check.string(registration, "userPrincipalName", path, false);
  });
}

export function checkSeed(seed: unknown, check: SeedChecker): void {
  if (
    !check.object(seed, "seed", ["tenants", "managedIdentities", "brokerRegistrations", "federatedIssuers"])
  )
    return;
  check.array(seed, "federatedIssuers", "seed", false)?.forEach((issuer, i) => {
    const path = `seed.federatedIssuers[${i}]`;
    if (!check.object(issuer, path, ["issuer", "publicKeys"])) return;
    check.string(issuer, "issuer", path, true);
    check.stringArray(issuer, "publicKeys", path);
  });
  const tenantKeys = new Set<string>();
  check.array(seed, "tenants", "seed", true)?.forEach((tenant, t) => {
    checkTenant(check, tenant, `seed.tenants[${t}]`, tenantKeys);
  });
  checkManagedIdentities(check, seed);
  checkBrokerRegistrations(check, seed);
}
