import {
  DEMO_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  demoSeed,
} from "../seed.js";
import type { GraphEntity } from "./graph-collection.js";

/** The demo tenant's users (object IDs), as src/seed.ts seeds them. */
export const USERS = {
  adele: "6e7b768e-07e2-4810-8459-485f84f8f204",
  alex: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
  diego: "626cbf8c-5dde-46b0-8385-9e40d64736fe",
  isaiah: "074e56ea-0b50-4461-89e5-c67ae14a2c0b",
  megan: "08fa38e4-cbfa-4488-94ed-c834da6539df",
  lynne: "e3d0513b-449e-4198-ba6f-bd97ae7cae85",
} as const;

const upn = (alias: string) => `${alias}@${DEMO_TENANT_DOMAIN}`;

const DISPLAY_NAMES: Record<keyof typeof USERS, string> = {
  adele: "Adele Vance",
  alex: "Alex Wilber",
  diego: "Diego Siciliani",
  isaiah: "Isaiah Langer",
  megan: "Megan Bowen",
  lynne: "Lynne Robbins",
};

/** Seeded groups and their direct members (user object IDs). */
export function seedGroups(): Array<{ group: GraphEntity; members: string[] }> {
  const group = (
    id: string,
    displayName: string,
    description: string,
    kind: "security" | "m365",
    createdDateTime: string,
  ): GraphEntity => {
    const mailNickname = displayName.replace(/\W/g, "");
    return {
      id,
      displayName,
      description,
      mail: kind === "m365" ? `${mailNickname}@${DEMO_TENANT_DOMAIN}` : null,
      mailEnabled: kind === "m365",
      mailNickname,
      securityEnabled: kind === "security",
      groupTypes: kind === "m365" ? ["Unified"] : [],
      visibility: kind === "m365" ? "Private" : null,
      createdDateTime,
      renewedDateTime: createdDateTime,
      securityIdentifier: `S-1-12-1-${parseInt(id.slice(0, 8), 16)}-${parseInt(id.slice(9, 13), 16)}`,
    };
  };
  return [
    {
      group: group(
        "02bd9fd6-8f93-4758-87c3-1fb73740a315",
        "SOC Analysts",
        "Security operations",
        "security",
        "2024-01-10T08:00:00Z",
      ),
      members: [USERS.adele, USERS.megan],
    },
    {
      group: group(
        "0a3d7b51-2c4e-4f6a-9b8d-1e2f3a4b5c6d",
        "SOC Tier 2",
        "Incident responders",
        "security",
        "2024-02-14T09:30:00Z",
      ),
      members: [USERS.megan],
    },
    {
      group: group(
        "b320ee12-b1cd-4cca-b648-a437be61c5cd",
        "Marketing",
        "Marketing department",
        "m365",
        "2023-11-02T12:00:00Z",
      ),
      members: [USERS.alex, USERS.megan],
    },
    {
      group: group(
        "c4f6a8b0-3d5e-4a7c-8e9f-0b1c2d3e4f5a",
        "Retail",
        "Retail stores",
        "m365",
        "2023-09-18T07:45:00Z",
      ),
      members: [USERS.adele, USERS.lynne],
    },
  ];
}

/** Microsoft's own tenant: the owner of first-party service principals. */
const MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/** Service principals: the demo tenant's apps (src/seed.ts) plus Microsoft Graph's and a gallery app. */
export function seedServicePrincipals(): GraphEntity[] {
  const tenant = demoSeed.tenants[0]!;
  const own = tenant.apps
    .filter((app) => app.servicePrincipalId !== undefined || app.clientId === DEMO_PUBLIC_CLIENT_ID)
    .map(
      (app): GraphEntity => ({
        id: app.servicePrincipalId ?? "9e1b3d5f-7a9c-4b1d-8f3a-5c7e9a1b3d5f",
        appId: app.clientId,
        displayName: app.displayName,
        accountEnabled: true,
        servicePrincipalType: "Application",
        appOwnerOrganizationId: DEMO_TENANT_ID,
        signInAudience: "AzureADMyOrg",
        tags: app.clientId === DEMO_CLIENT_ID ? ["WindowsAzureActiveDirectoryIntegratedApp"] : [],
        notes: app.clientId === DEMO_NO_GRANT_CLIENT_ID ? "No API permissions granted." : null,
        servicePrincipalNames: [app.clientId],
      }),
    );
  return [
    ...own,
    {
      id: "5f2b4c1a-9e8d-4a7b-b6c5-d4e3f2a1b0c9",
      appId: "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
      displayName: "Contoso HR",
      accountEnabled: true,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: "2d6b1c0e-5a4f-4e3d-9c8b-7a6f5e4d3c2b",
      signInAudience: "AzureADMultipleOrgs",
      tags: ["WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1"],
      notes: null,
      servicePrincipalNames: ["8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d", "https://hr.contoso.example"],
    },
    {
      id: "a0f3c1e2-6b7d-4c8e-9f1a-2b3c4d5e6f70",
      appId: "00000003-0000-0000-c000-000000000000",
      displayName: "Microsoft Graph",
      accountEnabled: true,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: MICROSOFT_TENANT_ID,
      signInAudience: "AzureADMultipleOrgs",
      tags: [],
      notes: null,
      servicePrincipalNames: ["00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com"],
    },
  ];
}

/** Activated directory roles (role template IDs are Microsoft's) and their members. */
export function seedDirectoryRoles(): Array<{ role: GraphEntity; members: string[] }> {
  const role = (id: string, displayName: string, description: string, roleTemplateId: string) => ({
    id,
    displayName,
    description,
    roleTemplateId,
  });
  return [
    {
      role: role(
        "9ed3a0c4-53e1-498c-ab4d-2473476fde14",
        "Global Administrator",
        "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
        "62e90394-69f5-4237-9190-012177145e10",
      ),
      members: [USERS.adele],
    },
    {
      role: role(
        "3b1d5f7a-9c2e-4d4f-8a6b-0c2e4f6a8b0d",
        "Security Administrator",
        "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
      ),
      members: [USERS.megan],
    },
    {
      role: role(
        "7c9e1a3b-5d7f-4b9d-a1c3-e5f7a9b1c3d5",
        "Security Reader",
        "Can read security information and reports in Microsoft Entra ID and Office 365.",
        "5d6b6bb7-de71-4623-b4af-96380a352509",
      ),
      members: [USERS.megan, USERS.isaiah],
    },
    {
      role: role(
        "e1f3a5c7-9b1d-4f3a-8c5e-7a9b1c3d5e7f",
        "User Administrator",
        "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
      ),
      members: [USERS.diego],
    },
  ];
}

/** Conditional Access policies. */
export function seedConditionalAccessPolicies(): GraphEntity[] {
  const policy = (
    id: string,
    displayName: string,
    state: string,
    createdDateTime: string,
    builtInControls: string[],
  ): GraphEntity => ({
    id,
    templateId: null,
    displayName,
    createdDateTime,
    modifiedDateTime: "2024-06-01T10:00:00Z",
    state,
    conditions: {
      clientAppTypes: ["all"],
      applications: { includeApplications: ["All"], excludeApplications: [] },
      users: { includeUsers: ["All"], excludeUsers: [USERS.adele], includeGroups: [], excludeGroups: [] },
      locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] },
    },
    grantControls: { operator: "OR", builtInControls, customAuthenticationFactors: [] },
    sessionControls: null,
  });
  return [
    policy(
      "5e7a3c1b-9d2f-4e8a-b6c4-1a3e5c7b9d2f",
      "Require MFA for all users",
      "enabled",
      "2024-01-15T09:00:00Z",
      ["mfa"],
    ),
    policy(
      "8b4d6f2a-1c3e-4a5b-9d7f-2e4a6c8b0d1f",
      "Block legacy authentication",
      "enabled",
      "2024-02-01T09:00:00Z",
      ["block"],
    ),
    policy(
      "2f4a6c8e-0b1d-4f3a-8c5e-9a1b3d5f7c9e",
      "Require compliant device (report-only)",
      "enabledForReportingButNotEnforced",
      "2024-03-20T09:00:00Z",
      ["compliantDevice"],
    ),
  ];
}

/** Named locations: two IP ranges and a country list (which an `isof` filter leaves out). */
export function seedNamedLocations(): GraphEntity[] {
  return [
    {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      id: "0854951d-5fc0-4eb1-b392-9b2c9d7949c2",
      displayName: "Contoso headquarters",
      createdDateTime: "2024-01-05T08:00:00Z",
      modifiedDateTime: "2024-04-01T08:00:00Z",
      isTrusted: true,
      ipRanges: [
        { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" },
        { "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:db8:1::/48" },
      ],
    },
    {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      id: "1e2d3c4b-5a69-4788-96a5-b4c3d2e1f0a9",
      displayName: "Known VPN egress",
      createdDateTime: "2024-02-10T08:00:00Z",
      modifiedDateTime: "2024-02-10T08:00:00Z",
      isTrusted: false,
      ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/25" }],
    },
    {
      "@odata.type": "#microsoft.graph.countryNamedLocation",
      id: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
      displayName: "Blocked countries",
      createdDateTime: "2024-03-01T08:00:00Z",
      modifiedDateTime: "2024-03-01T08:00:00Z",
      countriesAndRegions: ["KP", "IR"],
      includeUnknownCountriesAndRegions: false,
    },
  ];
}

/** Entra ID Protection's risky users. */
export function seedRiskyUsers(): GraphEntity[] {
  const risky = (
    id: string,
    alias: string,
    displayName: string,
    riskLevel: string,
    riskState: string,
    riskDetail: string,
    riskLastUpdatedDateTime: string,
  ): GraphEntity => ({
    id,
    isDeleted: false,
    isProcessing: false,
    riskLastUpdatedDateTime,
    riskLevel,
    riskState,
    riskDetail,
    userDisplayName: displayName,
    userPrincipalName: upn(alias),
  });
  return [
    risky(USERS.megan, "meganb", "Megan Bowen", "high", "atRisk", "none", "2024-06-12T14:20:00Z"),
    risky(
      USERS.alex,
      "alexw",
      "Alex Wilber",
      "medium",
      "confirmedCompromised",
      "adminConfirmedUserCompromised",
      "2024-06-10T09:05:00Z",
    ),
    risky(
      USERS.diego,
      "diegos",
      "Diego Siciliani",
      "none",
      "remediated",
      "userPerformedSecuredPasswordChange",
      "2024-05-02T11:00:00Z",
    ),
  ];
}

/** Entra ID Protection's risk detections. */
export function seedRiskDetections(): GraphEntity[] {
  const detection = (
    id: string,
    user: keyof typeof USERS,
    displayName: string,
    riskEventType: string,
    riskLevel: string,
    riskState: string,
    ipAddress: string,
    detectedDateTime: string,
    city: string,
    countryOrRegion: string,
  ): GraphEntity => ({
    id,
    requestId: `${id.slice(0, 8)}-req`,
    correlationId: `${id.slice(0, 8)}-corr`,
    riskEventType,
    riskState,
    riskLevel,
    riskDetail: "none",
    source: "IdentityProtection",
    detectionTimingType: "realtime",
    activity: "signin",
    tokenIssuerType: "AzureAD",
    ipAddress,
    location: { city, state: null, countryOrRegion },
    activityDateTime: detectedDateTime,
    detectedDateTime,
    lastUpdatedDateTime: detectedDateTime,
    userId: USERS[user],
    userDisplayName: displayName,
    userPrincipalName: upn(`${user === "megan" ? "meganb" : user === "alex" ? "alexw" : "diegos"}`),
    additionalInfo: "[]",
  });
  return [
    detection(
      "6b7d9f1a-3c5e-4a7b-9d1f-3a5c7e9b1d3f",
      "megan",
      "Megan Bowen",
      "unfamiliarFeatures",
      "high",
      "atRisk",
      "198.51.100.77",
      "2024-06-12T14:18:00Z",
      "Lagos",
      "NG",
    ),
    detection(
      "2c4e6a8b-0d2f-4b4c-8e6a-0c2e4a6c8e0a",
      "megan",
      "Megan Bowen",
      "anonymizedIPAddress",
      "medium",
      "atRisk",
      "185.220.101.4",
      "2024-06-11T22:40:00Z",
      "Frankfurt",
      "DE",
    ),
    detection(
      "9a1c3e5a-7b9d-4f1a-a3c5-e7a9c1e3a5c7",
      "alex",
      "Alex Wilber",
      "leakedCredentials",
      "medium",
      "confirmedCompromised",
      "203.0.113.24",
      "2024-06-09T08:00:00Z",
      "Seattle",
      "US",
    ),
    detection(
      "4d6f8a0c-2e4a-4d6f-9a0c-4e6a8c0e2a4c",
      "diego",
      "Diego Siciliani",
      "impossibleTravel",
      "low",
      "remediated",
      "192.0.2.10",
      "2024-05-01T17:30:00Z",
      "Sydney",
      "AU",
    ),
  ];
}

/** Intune managed devices. */
export function seedManagedDevices(): GraphEntity[] {
  const device = (
    id: string,
    deviceName: string,
    user: keyof typeof USERS,
    alias: string,
    operatingSystem: string,
    osVersion: string,
    complianceState: string,
    serialNumber: string,
    lastSyncDateTime: string,
    managedDeviceOwnerType: string,
  ): GraphEntity => ({
    id,
    userId: USERS[user],
    deviceName,
    managedDeviceOwnerType,
    enrolledDateTime: "2024-01-20T10:00:00Z",
    lastSyncDateTime,
    operatingSystem,
    complianceState,
    jailBroken: "False",
    managementAgent: "mdm",
    osVersion,
    azureADRegistered: true,
    deviceEnrollmentType: "windowsAzureADJoin",
    emailAddress: upn(alias),
    azureADDeviceId: `${id.slice(0, 24)}aad000000000`.slice(0, 36),
    deviceRegistrationState: "registered",
    isEncrypted: true,
    userPrincipalName: upn(alias),
    model:
      operatingSystem === "Windows"
        ? "Surface Laptop 5"
        : operatingSystem === "iOS"
          ? "iPhone 14"
          : "Pixel 7",
    manufacturer:
      operatingSystem === "Windows" ? "Microsoft" : operatingSystem === "iOS" ? "Apple" : "Google",
    serialNumber,
    userDisplayName: DISPLAY_NAMES[user],
    managementState: "managed",
    deviceActionResults: [],
  });
  return [
    device(
      "4f9c7b8a-2d1e-4c3b-9a8f-7e6d5c4b3a21",
      "DESKTOP-ADELE01",
      "adele",
      "adelev",
      "Windows",
      "10.0.22631.3447",
      "compliant",
      "SN-W-0001",
      "2024-06-12T08:00:00Z",
      "company",
    ),
    device(
      "8a7b6c5d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
      "Megan's iPhone",
      "megan",
      "meganb",
      "iOS",
      "17.5.1",
      "noncompliant",
      "SN-I-0002",
      "2024-06-11T19:30:00Z",
      "personal",
    ),
    device(
      "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      "ALEX-PIXEL",
      "alex",
      "alexw",
      "Android",
      "14",
      "compliant",
      "SN-A-0003",
      "2024-06-10T07:15:00Z",
      "company",
    ),
  ];
}
