import { defineIntegration, graph } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getRiskDetection, getRiskyUser, listRiskDetections, listRiskyUsers } from "./identity-protection.js";

const riskyUserOutputs = [
  { path: "AzureRiskyUsers.RiskyUser.id", type: "string", description: "The risky user's object ID." },
  {
    path: "AzureRiskyUsers.RiskyUser.userPrincipalName",
    type: "string",
    description: "The user principal name.",
  },
  {
    path: "AzureRiskyUsers.RiskyUser.riskLevel",
    type: "string",
    description: "low, medium, high, hidden or none.",
  },
  {
    path: "AzureRiskyUsers.RiskyUser.riskState",
    type: "string",
    description: "atRisk, confirmedCompromised, remediated, dismissed …",
  },
  {
    path: "AzureRiskyUsers.RiskyUser.riskDetail",
    type: "string",
    description: "The reason of the risk state.",
  },
  {
    path: "AzureRiskyUsers.RiskyUser.riskLastUpdatedDateTime",
    type: "date",
    description: "When the risk last changed.",
  },
] as const;

const detectionOutputs = [
  { path: "AzureRiskyUsers.RiskDetection.id", type: "string", description: "The risk detection's ID." },
  {
    path: "AzureRiskyUsers.RiskDetection.userPrincipalName",
    type: "string",
    description: "The user at risk.",
  },
  {
    path: "AzureRiskyUsers.RiskDetection.riskEventType",
    type: "string",
    description: "e.g. unfamiliarFeatures, anonymizedIPAddress.",
  },
  { path: "AzureRiskyUsers.RiskDetection.riskLevel", type: "string", description: "low, medium or high." },
  {
    path: "AzureRiskyUsers.RiskDetection.riskState",
    type: "string",
    description: "The state of the detection.",
  },
  {
    path: "AzureRiskyUsers.RiskDetection.ipAddress",
    type: "string",
    description: "The sign-in's IP address.",
  },
  {
    path: "AzureRiskyUsers.RiskDetection.detectedDateTime",
    type: "date",
    description: "When the risk was detected.",
  },
] as const;

// learn.microsoft.com/graph/api/riskyuser-list, "Permissions": IdentityRiskyUser.Read.All (least privileged), then
// IdentityRiskyUser.ReadWrite.All.
const READ_RISKY_USERS = {
  application: ["IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"],
  delegated: ["IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"],
};
// learn.microsoft.com/graph/api/riskdetection-list and /riskdetection-get: IdentityRiskEvent.Read.All.
const READ_RISK_DETECTIONS = {
  application: ["IdentityRiskEvent.Read.All", "IdentityRiskEvent.ReadWrite.All"],
  delegated: ["IdentityRiskEvent.Read.All", "IdentityRiskEvent.ReadWrite.All"],
};

const limit = {
  name: "limit",
  description: "The most entries to return (1-500).",
  defaultValue: "50",
} as const;

// Names and arguments from demisto/content Packs/AzureRiskyUsers/Integrations/AzureRiskyUsers/AzureRiskyUsers.yml
// (data/xsoar/azure-risky-users.json). XSOAR has no broker app name and no built-in client for it.
/** Azure Risky Users: Microsoft Entra ID Protection's risky users and risk detections through Microsoft Graph. */
export default defineIntegration({
  id: "azure-risky-users",
  version: packageJson.version,
  displayName: "Azure Risky Users",
  commandPrefix: "azure-risky-users",
  description: "Lists risky users and risk detections of Microsoft Entra ID Protection.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: false,
  },
  resource: graph({
    application: [".default"],
    delegated: ["IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All", "offline_access"],
  }),
  permissions: {
    application: ["IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All"],
    delegated: ["IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All"],
  },
  commands: {
    "azure-risky-users-list": {
      description: "Lists the risky users of the tenant.",
      arguments: [
        {
          name: "risk_state",
          description: "Only users in this risk state.",
          predefined: ["atRisk", "confirmedCompromised", "remediated", "dismissed"],
        },
        {
          name: "risk_level",
          description: "Only users at this risk level.",
          predefined: ["low", "medium", "high"],
        },
        limit,
        { name: "page", description: "No longer supported (as in XSOAR): use page_size and next_token." },
        { name: "page_size", description: "Users in this page (1-500); instead of limit." },
        {
          name: "next_token",
          description: "A previous answer's @odata.nextLink (or its $skiptoken): that page.",
        },
        {
          name: "order_by",
          description: "The order.",
          defaultValue: "riskLastUpdatedDateTime desc",
          predefined: ["riskLastUpdatedDateTime desc", "riskLastUpdatedDateTime asc"],
        },
        { name: "updated_before", description: "Only users whose risk changed before this ISO 8601 time." },
        { name: "updated_after", description: "Only users whose risk changed after this ISO 8601 time." },
      ],
      outputs: riskyUserOutputs,
      permissions: READ_RISKY_USERS,
      run: listRiskyUsers,
    },
    "azure-risky-user-get": {
      description: "Gets one risky user.",
      arguments: [{ name: "id", description: "The risky user's ID (the user's object ID).", required: true }],
      outputs: riskyUserOutputs,
      permissions: READ_RISKY_USERS,
      run: getRiskyUser,
    },
    "azure-risky-users-risk-detections-list": {
      description: "Lists risk detections, newest first.",
      arguments: [
        limit,
        { name: "page", description: "The page number (pages of limit entries).", defaultValue: "1" },
        {
          name: "risk_state",
          description: "Only detections in this state.",
          predefined: ["atRisk", "confirmedCompromised", "remediated", "dismissed", "confirmedSafe"],
        },
        {
          name: "risk_level",
          description: "Only detections at this level.",
          predefined: ["low", "medium", "high"],
        },
        { name: "detected_date_time_before", description: "Only detections before this ISO 8601 time." },
        { name: "detected_date_time_after", description: "Only detections after this ISO 8601 time." },
        {
          name: "order_by",
          description: "The order.",
          defaultValue: "detectedDateTime desc",
          predefined: ["detectedDateTime desc", "detectedDateTime asc"],
        },
        { name: "user_id", description: "msint only: only detections of this user (object ID)." },
      ],
      outputs: detectionOutputs,
      permissions: READ_RISK_DETECTIONS,
      run: listRiskDetections,
    },
    "azure-risky-users-risk-detection-get": {
      description: "Gets one risk detection.",
      arguments: [{ name: "id", description: "The risk detection's ID.", required: true }],
      outputs: detectionOutputs,
      permissions: READ_RISK_DETECTIONS,
      run: getRiskDetection,
    },
  },
  testPermissions: READ_RISKY_USERS,
  async test({ api }) {
    await api.get("/v1.0/identityProtection/riskyUsers", { $top: 1 }, { expect: "collection" });
  },
});
