import { readFileSync } from "node:fs";
import { checkSeed, SeedChecker } from "./seed-check.js";
import type { EmulatorSeed } from "./types.js";

/** Tenant ID of the demo tenant (contoso.onmicrosoft.com). */
export const DEMO_TENANT_ID = "84ed19dd-c7b0-4f61-8aa4-45d0ce7e6970";
/** Verified domain of the demo tenant. */
export const DEMO_TENANT_DOMAIN = "contoso.onmicrosoft.com";
/**
 * The botframework.com tenant, where bots get their Bot Connector tokens (client credentials, scope
 * https://api.botframework.com/.default). Its only app is the demo app, standing for a bot's app registration.
 */
export const BOT_FRAMEWORK_TENANT_ID = "d6d49420-f39b-4df7-a1dc-d59a935871db";
/** The Bot Framework tenant's domain, which bots address it by. */
export const BOT_FRAMEWORK_TENANT_DOMAIN = "botframework.com";
/** Client ID of the "msint demo" app: valid secret, Graph `User.Read.All` granted. */
export const DEMO_CLIENT_ID = "04f77691-7058-45b2-bf86-6743a19099f6";
/** The demo app's secret. A public, fake value: it only works against the emulator. */
export const DEMO_CLIENT_SECRET = "demo-secret-not-for-production";
/** The audience Microsoft recommends for federated identity credentials. */
export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";
/** The emulator's own federated token issuer (an AKS-like OIDC issuer), whose keys it always knows. */
export const DEMO_FEDERATED_ISSUER = "https://oidc.emulator.msint.invalid/demo-cluster/";
/** The subject of the demo workload identity app's federated credential (a Kubernetes service account). */
export const DEMO_FEDERATED_SUBJECT = "system:serviceaccount:security:msint";
/**
 * Client ID of the workload identity demo app: no secret, a federated credential trusting the emulator's demo
 * issuer for the subject `system:serviceaccount:security:msint`; Graph `User.Read.All` granted.
 */
export const DEMO_WORKLOAD_CLIENT_ID = "7a3c9e1b-5d2f-4b8a-9c6e-0f1a2b3c4d5e";
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
/**
 * Client ID of Cortex XSOAR's public client for Microsoft 365 Defender (device code), the default "Application ID"
 * of demisto/content Packs/Microsoft365Defender/Integrations/Microsoft365Defender/Microsoft365Defender.yml. Here a
 * public client of the demo tenant with the Microsoft Threat Protection delegated permissions.
 */
export const XSOAR_MICROSOFT_365_DEFENDER_CLIENT_ID = "9093c354-630a-47f1-b087-6768eb9427e6";
/** Password of every demo user. A public, fake value. */
export const DEMO_USER_PASSWORD = "demo-password-not-for-production";
/**
 * Client ID of the "msint demo (certificate)" app: Graph `User.Read.All`, authenticated by certificate. Its
 * certificate is generated when first needed (see `RunningEmulator.demoCertificate`).
 */
export const DEMO_CERT_CLIENT_ID = "c5a0e2f4-1d3b-4e6a-9f80-2b4c6d8e0a1c";
/** UPN of the demo tenant's Global Administrator (Adele Vance), who can grant admin consent. */
export const DEMO_ADMIN_UPN = "adelev@contoso.onmicrosoft.com";
/** Object ID of the emulated machine's system-assigned managed identity (Graph `User.Read.All`). */
export const DEMO_MANAGED_IDENTITY_PRINCIPAL_ID = "0b7e5c3a-9d1f-4a2b-8c6e-4f2a1b3c5d7e";
/** Client ID of the emulated machine's system-assigned managed identity. */
export const DEMO_MANAGED_IDENTITY_CLIENT_ID = "9c2d4e6f-8a0b-4c1d-a3e5-7f9b1d3f5a7c";
/** Client ID of a user-assigned managed identity on the emulated machine (Graph `User.Read.All`, ARM Reader). */
export const DEMO_USER_ASSIGNED_CLIENT_ID = "3e5f7a9b-1c2d-4e3f-8a5b-6c7d8e9f0a1b";
/** Object ID of the user-assigned managed identity. */
export const DEMO_USER_ASSIGNED_PRINCIPAL_ID = "6a8c0e2f-4b6d-4f8a-9c1e-3a5c7e9a1c3e";
/** Azure resource ID of the user-assigned managed identity. */
export const DEMO_USER_ASSIGNED_RESOURCE_ID =
  "/subscriptions/1b2c3d4e-5f60-4718-829a-abcdef012345/resourceGroups/msint-demo/providers/" +
  "Microsoft.ManagedIdentity/userAssignedIdentities/msint-demo-identity";
/** Client ID of the vendor app the XSOAR broker double gets tokens for (Graph `User.Read.All`). */
export const DEMO_BROKER_VENDOR_CLIENT_ID = "7f1e3d5c-2b4a-4968-8a7c-5e3d1b9f7d5b";
/** Broker app name of the demo registrations. */
export const DEMO_BROKER_APP_NAME = "ms-graph-mail-listener";
/** Broker registration ID of an application (admin-consent) registration for the demo tenant. */
export const DEMO_BROKER_APP_REGISTRATION_ID = "3b0bf3d0-6b3c-4b0e-9a5f-0c1d2e3f4a5b";
/** Broker registration ID of a delegated registration (its token is {@link DEMO_BROKER_REFRESH_TOKEN}). */
export const DEMO_BROKER_DELEGATED_REGISTRATION_ID = "8d2f4a6c-0e1b-4d3f-a5c7-9e1b3d5f7a9c";
/** Base64 AES-256 key of both demo broker registrations. A public, fake value. */
export const DEMO_BROKER_KEY = "bXNpbnQtZGVtby1icm9rZXIta2V5LTMyLWJ5dGVzISE=";
/** Refresh token of the delegated demo broker registration (Megan Bowen). A public, fake value. */
export const DEMO_BROKER_REFRESH_TOKEN = "demo-broker-refresh-token-not-for-production";

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
    ...(upn === DEMO_ADMIN_UPN ? { isAdmin: true } : {}),
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

/**
 * The default seed: the Contoso demo tenant with four confidential apps (one authenticated by certificate), a
 * public client, a broker vendor app and six users; two managed identities; two XSOAR broker registrations.
 */
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
          delegatedPermissions: { graph: ["User.Read"] },
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
          clientId: DEMO_WORKLOAD_CLIENT_ID,
          displayName: "msint demo (workload identity)",
          servicePrincipalId: "3b5d7f9a-1c3e-4a5b-8d7f-9a1b3c5d7e9f",
          federatedCredentials: [
            {
              name: "aks-security-msint",
              issuer: DEMO_FEDERATED_ISSUER,
              subject: DEMO_FEDERATED_SUBJECT,
              audiences: [FEDERATED_AUDIENCE],
            },
          ],
          grants: { graph: ["User.Read.All"] },
        },
        {
          clientId: DEMO_PUBLIC_CLIENT_ID,
          displayName: "msint demo (public client)",
          publicClient: true,
          redirectUris: ["http://localhost"],
          delegatedPermissions: { graph: ["User.Read"] },
        },
        {
          clientId: XSOAR_MICROSOFT_365_DEFENDER_CLIENT_ID,
          displayName: "Cortex XSOAR - Microsoft 365 Defender (public client)",
          publicClient: true,
          // Microsoft Threat Protection delegated permissions (learn.microsoft.com/defender-xdr/api-list-incidents,
          // api-update-incidents, api-advanced-hunting).
          delegatedPermissions: {
            "microsoft-365-defender": ["Incident.Read", "Incident.ReadWrite", "AdvancedHunting.Read"],
          },
        },
        {
          clientId: DEMO_CERT_CLIENT_ID,
          displayName: "msint demo (certificate)",
          servicePrincipalId: "2d4f6a8c-0e2b-4d6f-8a1c-3e5a7c9e1b3d",
          redirectUris: ["http://localhost:8400/callback"],
          grants: { graph: ["User.Read.All"] },
          delegatedPermissions: { graph: ["User.Read"] },
        },
        {
          clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
          displayName: "Cortex XSOAR (demo broker vendor app)",
          servicePrincipalId: "4c6e8a0c-2e4a-4c8e-9a3c-5e7a9c1e3a5c",
          grants: { graph: ["User.Read.All"] },
          delegatedPermissions: { graph: ["User.Read", "User.Read.All"] },
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
    {
      id: BOT_FRAMEWORK_TENANT_ID,
      displayName: "Bot Framework",
      domains: [BOT_FRAMEWORK_TENANT_DOMAIN],
      apps: [
        {
          clientId: DEMO_CLIENT_ID,
          displayName: "msint demo (bot)",
          secrets: [{ value: DEMO_CLIENT_SECRET, expiresOn: "2099-12-31T00:00:00Z" }],
        },
      ],
      users: [],
    },
  ],
  managedIdentities: [
    {
      tenantId: DEMO_TENANT_ID,
      systemAssigned: true,
      clientId: DEMO_MANAGED_IDENTITY_CLIENT_ID,
      principalId: DEMO_MANAGED_IDENTITY_PRINCIPAL_ID,
      grants: { graph: ["User.Read.All"] },
    },
    {
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_USER_ASSIGNED_CLIENT_ID,
      principalId: DEMO_USER_ASSIGNED_PRINCIPAL_ID,
      resourceId: DEMO_USER_ASSIGNED_RESOURCE_ID,
      grants: { graph: ["User.Read.All"], arm: ["Reader"] },
    },
  ],
  brokerRegistrations: [
    {
      id: DEMO_BROKER_APP_REGISTRATION_ID,
      appName: DEMO_BROKER_APP_NAME,
      key: DEMO_BROKER_KEY,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "application",
    },
    {
      id: DEMO_BROKER_DELEGATED_REGISTRATION_ID,
      appName: DEMO_BROKER_APP_NAME,
      key: DEMO_BROKER_KEY,
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_BROKER_VENDOR_CLIENT_ID,
      kind: "delegated",
      refreshToken: DEMO_BROKER_REFRESH_TOKEN,
      userPrincipalName: `meganb@${DEMO_TENANT_DOMAIN}`,
    },
  ],
};

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
