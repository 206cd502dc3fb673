import {
  type ArgumentDefinition,
  azureResourceManager,
  defineIntegration,
  resourceGroupParameter,
  subscriptionIdParameter,
  workspaceNameParameter,
} from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import {
  deleteAlertRule,
  listAlertRules,
  listAlertRuleTemplates,
  listResourceGroups,
  listSubscriptions,
  putAlertRule,
} from "./alert-rules.js";
import { SCOPE_ARGUMENTS } from "./client.js";
import {
  addIncidentComment,
  deleteIncident,
  deleteIncidentComment,
  getIncident,
  listIncidentAlerts,
  listIncidentComments,
  listIncidentEntities,
  listIncidentRelations,
  listIncidents,
  testIncidents,
  updateIncident,
} from "./incidents.js";
import { getMappingFields, getModifiedRemoteData, getRemoteData } from "./mirroring.js";
import { OUTPUTS } from "./outputs.js";
import {
  appendIndicatorTags,
  createIndicator,
  deleteIndicators,
  listIndicators,
  queryIndicators,
  replaceIndicatorTags,
  updateIndicator,
} from "./threat-indicators.js";
import {
  createUpdateWatchlist,
  createUpdateWatchlistItem,
  deleteWatchlist,
  deleteWatchlistItem,
  listWatchlistItems,
  listWatchlists,
} from "./watchlists.js";

// Command names, arguments and context paths follow XSOAR's Microsoft Sentinel integration: demisto/content
// Packs/AzureSentinel/Integrations/AzureSentinel/AzureSentinel.yml (and AzureSentinel.py for the api-version and
// request bodies), commit c639f154818dbae6fd33899e8c08f84022a5631f.

// Microsoft Sentinel authorizes with Azure RBAC roles on the workspace (learn.microsoft.com/azure/sentinel/roles):
// Reader reads; Responder also manages incidents (status, owner, comments); Contributor also creates, edits and
// deletes watchlists, threat intelligence and analytics rules. A user's token for Resource Manager carries the
// delegated user_impersonation.
const SENTINEL_READ = {
  delegated: ["user_impersonation"],
  rbac: ["Microsoft Sentinel Reader", "Microsoft Sentinel Responder", "Microsoft Sentinel Contributor"],
} as const;
const SENTINEL_RESPOND = {
  delegated: ["user_impersonation"],
  rbac: ["Microsoft Sentinel Responder", "Microsoft Sentinel Contributor"],
} as const;
const SENTINEL_CONTRIBUTE = {
  delegated: ["user_impersonation"],
  rbac: ["Microsoft Sentinel Contributor"],
} as const;
// Subscriptions - List and Resource Groups - List need any role on the scope, e.g. Reader
// (learn.microsoft.com/rest/api/resources/subscriptions/list, …/resource-groups/list).
const ARM_READ = { delegated: ["user_impersonation"], rbac: ["Reader"] } as const;

const arg = (
  name: string,
  description: string,
  extra: Partial<ArgumentDefinition> = {},
): ArgumentDefinition => ({
  name,
  description,
  ...extra,
});
const INCIDENT_ID = arg("incident_id", "The incident's ID.", { required: true });
const LIMIT = arg("limit", "The most results to return.", { defaultValue: "50" });
const NEXT_LINK = arg("next_link", "The next-page link of a previous run (AzureSentinel.NextLink.URL).");
const WATCHLIST_ALIAS = arg("watchlist_alias", "The watchlist's alias.", { required: true });
const BOOL = ["true", "false"];
const INDICATOR_TYPES = ["ipv4", "ipv6", "file", "url", "domain"];
const THREAT_TYPES = [
  "anomalous-activity",
  "attribution",
  "anonymization",
  "benign",
  "malicious-activity",
  "compromised",
  "unknown",
];
const outputs = (command: string) => OUTPUTS[command] ?? [];

const INDICATOR_ARGUMENTS: readonly ArgumentDefinition[] = [
  arg("value", "The indicator's value (an IP address, domain, URL or file hash)."),
  arg("display_name", "The indicator's display name."),
  arg("description", "The indicator's description."),
  arg("indicator_type", "The indicator's type.", { predefined: INDICATOR_TYPES }),
  arg("hash_type", "The hash type of a file indicator.", {
    predefined: ["MD5", "SHA-1", "SHA-256", "SHA-512"],
  }),
  arg("confidence", "The confidence (0-100)."),
  arg("threat_types", `Comma-separated threat types: ${THREAT_TYPES.join(", ")}.`),
  arg("kill_chains", "Comma-separated kill chain phases."),
  arg("tags", "Comma-separated tags."),
  arg("valid_from", "When the indicator becomes valid (e.g. 2024-05-01T00:00:00Z)."),
  arg("valid_until", "When the indicator stops being valid."),
  arg("created_by", "Who created the indicator (a STIX identity reference)."),
  arg("revoked", "Whether the indicator is revoked.", { predefined: BOOL }),
];
const required = (list: readonly ArgumentDefinition[], names: readonly string[]) =>
  list.map((argument) => (names.includes(argument.name) ? { ...argument, required: true } : argument));

const ALERT_RULE_ARGUMENTS: readonly ArgumentDefinition[] = [
  arg("rule_name", "The rule's ID (name).", { required: true }),
  arg("kind", "The rule's kind.", {
    predefined: ["fusion", "microsoft_security_incident_creation", "scheduled"],
  }),
  arg("template_name", "The template the rule is created from (fusion rules)."),
  arg("enabled", "Whether the rule is enabled.", { predefined: ["yes", "no"] }),
  arg("etag", "The rule's etag (to update only the version you read)."),
  arg("displayName", "The rule's display name."),
  arg(
    "product_filter",
    "The product whose alerts create incidents (microsoft_security_incident_creation rules).",
    {
      predefined: [
        "azure_active_directory_identity_protection",
        "azure_advanced_threat_protection",
        "azure_security_center",
        "azure_security_center_for_iot",
        "microsoft_cloud_app_security",
      ],
    },
  ),
  arg("description", "The rule's description."),
  arg("name_exclude_filter", "Comma-separated alert names to exclude."),
  arg("name_include_filter", "Comma-separated alert names to include."),
  arg("severity_filter", "Comma-separated alert severities to include."),
  arg("query", "The KQL query (scheduled rules)."),
  arg("query_frequency", "How often the query runs, ISO 8601 (e.g. PT5H)."),
  arg("query_period", "The time window the query looks at, ISO 8601."),
  arg("severity", "The severity of the alerts.", { predefined: ["informational", "low", "medium", "high"] }),
  arg("suppression_duration", "How long to stop running the query after an alert, ISO 8601."),
  arg("suppression_enabled", "Whether suppression is enabled.", { predefined: ["yes", "no"] }),
  arg("trigger_operator", "The comparison of the result count.", {
    predefined: ["equal", "greater_than", "less_than", "not_equal"],
  }),
  arg("trigger_threshold", "The result count the operator compares with."),
  arg("tactics", "Comma-separated MITRE ATT&CK tactics."),
  arg("techniques", "Comma-separated MITRE ATT&CK techniques."),
  arg("rule_json", "The whole rule as JSON (kind, etag, properties); the other arguments are then ignored."),
  ...SCOPE_ARGUMENTS,
];

/** Microsoft Sentinel: incidents, watchlists, threat intelligence and analytics rules of a workspace, through Resource Manager. */
export default defineIntegration({
  id: "azure-sentinel",
  version: packageJson.version,
  displayName: "Azure Sentinel",
  commandPrefix: "azure-sentinel",
  description:
    "Manages Microsoft Sentinel incidents (comments, relations, alerts, entities), watchlists, threat intelligence indicators and analytics rules.",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: true,
    nationalClouds: true,
  },
  resource: azureResourceManager(),
  permissions: { application: ["Microsoft Sentinel Contributor (Azure RBAC role on the workspace)"] },
  parameters: [
    subscriptionIdParameter("subscriptionID", "Subscription ID"),
    resourceGroupParameter("resourceGroupName", "Resource Group Name"),
    workspaceNameParameter("workspaceName", "Workspace Name"),
  ],
  commands: {
    "azure-sentinel-list-incidents": {
      description: "Lists incidents, newest first.",
      arguments: [
        arg("limit", "The most incidents to return (1-200).", { defaultValue: "50" }),
        arg("filter", "An OData $filter, e.g. properties/severity eq 'High'."),
        NEXT_LINK,
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-list-incidents"),
      // Incidents - List (learn.microsoft.com/rest/api/securityinsights/incidents/list).
      permissions: SENTINEL_READ,
      run: listIncidents,
    },
    "azure-sentinel-get-incident-by-id": {
      description: "Gets one incident.",
      arguments: [INCIDENT_ID, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-get-incident-by-id"),
      // Incidents - Get (learn.microsoft.com/rest/api/securityinsights/incidents/get).
      permissions: SENTINEL_READ,
      run: getIncident,
    },
    "azure-sentinel-update-incident": {
      description:
        "Updates an incident: title, description, severity, status, classification, owner, labels.",
      arguments: [
        INCIDENT_ID,
        arg("title", "The new title."),
        arg("description", "The new description."),
        arg("severity", "The new severity.", { predefined: ["High", "Medium", "Low", "Informational"] }),
        arg("status", "The new status.", { predefined: ["New", "Active", "Closed"] }),
        arg("classification", "How the incident was closed (required with status Closed).", {
          predefined: ["BenignPositive", "FalsePositive", "TruePositive", "Undetermined"],
        }),
        arg("classification_comment", "A comment on the classification."),
        arg("classification_reason", "Why the incident was classified so.", {
          predefined: [
            "InaccurateData",
            "IncorrectAlertLogic",
            "SuspiciousActivity",
            "SuspiciousButExpected",
          ],
        }),
        arg("assignee_email", "The new owner's email address."),
        arg("user_principal_name", "The new owner's user principal name."),
        arg("assignee_objectid", "The new owner's object ID."),
        arg("labels", "Comma-separated labels (replace the incident's)."),
        ...SCOPE_ARGUMENTS,
        arg("unassign", "true removes the owner.", { predefined: ["false", "true"] }),
      ],
      outputs: outputs("azure-sentinel-update-incident"),
      // Incidents - Get, then Incidents - Create Or Update (learn.microsoft.com/rest/api/securityinsights/incidents/
      // create-or-update).
      permissions: SENTINEL_RESPOND,
      run: updateIncident,
    },
    "azure-sentinel-delete-incident": {
      description: "Deletes an incident.",
      arguments: [INCIDENT_ID, ...SCOPE_ARGUMENTS],
      // Incidents - Delete (learn.microsoft.com/rest/api/securityinsights/incidents/delete).
      permissions: SENTINEL_RESPOND,
      run: deleteIncident,
    },
    "azure-sentinel-list-incident-comments": {
      description: "Lists an incident's comments.",
      arguments: [INCIDENT_ID, LIMIT, NEXT_LINK, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-incident-comments"),
      // Incident Comments - List (learn.microsoft.com/rest/api/securityinsights/incident-comments/list).
      permissions: SENTINEL_READ,
      run: listIncidentComments,
    },
    "azure-sentinel-incident-add-comment": {
      description: "Adds a comment to an incident.",
      arguments: [INCIDENT_ID, arg("message", "The comment.", { required: true }), ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-incident-add-comment"),
      // Incident Comments - Create Or Update (learn.microsoft.com/rest/api/securityinsights/incident-comments/
      // create-or-update).
      permissions: SENTINEL_RESPOND,
      run: addIncidentComment,
    },
    "azure-sentinel-incident-delete-comment": {
      description: "Deletes a comment of an incident.",
      arguments: [
        INCIDENT_ID,
        arg("comment_id", "The comment's ID.", { required: true }),
        ...SCOPE_ARGUMENTS,
      ],
      // Incident Comments - Delete (learn.microsoft.com/rest/api/securityinsights/incident-comments/delete).
      permissions: SENTINEL_RESPOND,
      run: deleteIncidentComment,
    },
    "azure-sentinel-list-incident-relations": {
      description: "Lists the resources related to an incident (alerts, entities, bookmarks).",
      arguments: [
        INCIDENT_ID,
        LIMIT,
        NEXT_LINK,
        arg("entity_kinds", "Comma-separated kinds to keep, e.g. Account,Ip,SecurityAlert."),
        arg("filter", "An OData $filter on the relations."),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-list-incident-relations"),
      // Incident Relations - List (learn.microsoft.com/rest/api/securityinsights/incident-relations/list).
      permissions: SENTINEL_READ,
      run: listIncidentRelations,
    },
    "azure-sentinel-list-incident-entities": {
      description: "Lists an incident's entities.",
      arguments: [INCIDENT_ID, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-incident-entities"),
      // Incidents - List Entities (learn.microsoft.com/rest/api/securityinsights/incidents/list-entities).
      permissions: SENTINEL_READ,
      run: listIncidentEntities,
    },
    "azure-sentinel-list-incident-alerts": {
      description: "Lists an incident's alerts.",
      arguments: [INCIDENT_ID, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-incident-alerts"),
      // Incidents - List Alerts (learn.microsoft.com/rest/api/securityinsights/incidents/list-alerts).
      permissions: SENTINEL_READ,
      run: listIncidentAlerts,
    },
    "azure-sentinel-list-watchlists": {
      description: "Lists the workspace's watchlists, or gets one by alias.",
      arguments: [arg("watchlist_alias", "A watchlist's alias, to get only that one."), ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-watchlists"),
      // Watchlists - List / Get (learn.microsoft.com/rest/api/securityinsights/watchlists/list, …/get).
      permissions: SENTINEL_READ,
      run: listWatchlists,
    },
    "azure-sentinel-delete-watchlist": {
      description: "Deletes a watchlist.",
      arguments: [WATCHLIST_ALIAS, ...SCOPE_ARGUMENTS],
      // Watchlists - Delete (learn.microsoft.com/rest/api/securityinsights/watchlists/delete).
      permissions: SENTINEL_CONTRIBUTE,
      run: deleteWatchlist,
    },
    "azure-sentinel-watchlist-create-update": {
      description: "Creates or updates a watchlist, with the rows of a CSV file.",
      arguments: [
        WATCHLIST_ALIAS,
        arg("watchlist_display_name", "The watchlist's display name.", { required: true }),
        arg("description", "The watchlist's description."),
        arg("provider", "Who provides the watchlist.", { defaultValue: "XSOAR" }),
        arg("labels", "Comma-separated labels."),
        arg("lines_to_skip", "Lines at the top of the file before the header row.", { defaultValue: "0" }),
        arg(
          "file_entry_id",
          "The CSV file: in msint, the path of a local file (XSOAR takes a War Room entry ID).",
          {
            required: true,
          },
        ),
        arg("items_search_key", "The column that identifies a row (must be a column of the file).", {
          required: true,
        }),
        arg("content_type", "The file's content type.", { defaultValue: "Text/Csv" }),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-watchlist-create-update"),
      // Watchlists - Create Or Update (learn.microsoft.com/rest/api/securityinsights/watchlists/create-or-update).
      permissions: SENTINEL_CONTRIBUTE,
      run: createUpdateWatchlist,
    },
    "azure-sentinel-list-watchlist-items": {
      description: "Lists a watchlist's items, or gets one.",
      arguments: [
        WATCHLIST_ALIAS,
        arg("watchlist_item_id", "An item's ID, to get only that one."),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-list-watchlist-items"),
      // Watchlist Items - List / Get (learn.microsoft.com/rest/api/securityinsights/watchlist-items/list, …/get).
      permissions: SENTINEL_READ,
      run: listWatchlistItems,
    },
    "azure-sentinel-delete-watchlist-item": {
      description: "Deletes a watchlist item.",
      arguments: [
        WATCHLIST_ALIAS,
        arg("watchlist_item_id", "The item's ID.", { required: true }),
        ...SCOPE_ARGUMENTS,
      ],
      // Watchlist Items - Delete (learn.microsoft.com/rest/api/securityinsights/watchlist-items/delete).
      permissions: SENTINEL_CONTRIBUTE,
      run: deleteWatchlistItem,
    },
    "azure-sentinel-create-update-watchlist-item": {
      description: "Creates a watchlist item, or updates one by ID.",
      arguments: [
        WATCHLIST_ALIAS,
        arg("watchlist_item_id", "The item's ID (a new GUID when not given)."),
        arg("item_key_value", 'The item as a JSON object, e.g. {"AssetName":"WIN-SRV-02"}.', {
          required: true,
        }),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-create-update-watchlist-item"),
      // Watchlist Items - Create Or Update (learn.microsoft.com/rest/api/securityinsights/watchlist-items/
      // create-or-update).
      permissions: SENTINEL_CONTRIBUTE,
      run: createUpdateWatchlistItem,
    },
    "azure-sentinel-threat-indicator-list": {
      description: "Lists threat intelligence indicators, or gets one by name.",
      arguments: [
        arg("indicator_name", "An indicator's name, to get only that one."),
        LIMIT,
        NEXT_LINK,
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-list"),
      // Threat Intelligence Indicators - List, Threat Intelligence Indicator - Get
      // (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-indicators/list).
      permissions: SENTINEL_READ,
      run: listIndicators,
    },
    "azure-sentinel-threat-indicator-query": {
      description: "Finds threat intelligence indicators by confidence, source, type and keywords.",
      arguments: [
        LIMIT,
        NEXT_LINK,
        arg("min_confidence", "The lowest confidence."),
        arg("max_confidence", "The highest confidence."),
        arg("min_valid_until", "The earliest end of validity."),
        arg("max_valid_until", "The latest end of validity."),
        arg("include_disabled", "Whether to include revoked indicators.", {
          defaultValue: "false",
          predefined: BOOL,
        }),
        arg("sources", "Comma-separated sources."),
        arg("indicator_types", `Comma-separated indicator types: ${INDICATOR_TYPES.join(", ")}.`),
        arg("threat_types", `Comma-separated threat types: ${THREAT_TYPES.join(", ")}.`),
        arg("keywords", "Comma-separated keywords."),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-query"),
      // Threat Intelligence Indicator - Query Indicators (learn.microsoft.com/rest/api/securityinsights/threat-
      // intelligence-indicator/query-indicators).
      permissions: SENTINEL_READ,
      run: queryIndicators,
    },
    "azure-sentinel-threat-indicator-create": {
      description: "Creates a threat intelligence indicator.",
      arguments: [
        ...required(INDICATOR_ARGUMENTS, ["value", "display_name", "indicator_type", "threat_types"]).map(
          (argument) => (argument.name === "revoked" ? { ...argument, defaultValue: "false" } : argument),
        ),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-create"),
      // Threat Intelligence Indicator - Create Indicator (learn.microsoft.com/rest/api/securityinsights/threat-
      // intelligence-indicator/create-indicator).
      permissions: SENTINEL_CONTRIBUTE,
      run: createIndicator,
    },
    "azure-sentinel-threat-indicator-update": {
      description: "Updates a threat intelligence indicator (its other properties stay).",
      arguments: [
        arg("indicator_name", "The indicator's name.", { required: true }),
        ...required(INDICATOR_ARGUMENTS, ["value", "display_name", "indicator_type"]),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-update"),
      // Threat Intelligence Indicator - Get, then Create (learn.microsoft.com/rest/api/securityinsights/threat-
      // intelligence-indicator/create).
      permissions: SENTINEL_CONTRIBUTE,
      run: updateIndicator,
    },
    "azure-sentinel-threat-indicator-delete": {
      description: "Deletes threat intelligence indicators.",
      arguments: [
        arg("indicator_names", "Comma-separated indicator names.", { required: true }),
        ...SCOPE_ARGUMENTS,
      ],
      // Threat Intelligence Indicator - Delete (learn.microsoft.com/rest/api/securityinsights/threat-intelligence-
      // indicator/delete).
      permissions: SENTINEL_CONTRIBUTE,
      run: deleteIndicators,
    },
    "azure-sentinel-threat-indicator-tags-append": {
      description: "Adds tags to a threat intelligence indicator.",
      arguments: [
        arg("indicator_name", "The indicator's name.", { required: true }),
        arg("tags", "Comma-separated tags.", { required: true }),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-tags-append"),
      // Threat Intelligence Indicator - Append Tags (learn.microsoft.com/rest/api/securityinsights/threat-
      // intelligence-indicator/append-tags).
      permissions: SENTINEL_CONTRIBUTE,
      run: appendIndicatorTags,
    },
    "azure-sentinel-threat-indicator-tags-replace": {
      description: "Replaces the tags of a threat intelligence indicator.",
      arguments: [
        arg("indicator_name", "The indicator's name.", { required: true }),
        arg("tags", "Comma-separated tags.", { required: true }),
        ...SCOPE_ARGUMENTS,
      ],
      outputs: outputs("azure-sentinel-threat-indicator-tags-replace"),
      // Threat Intelligence Indicator - Replace Tags (learn.microsoft.com/rest/api/securityinsights/threat-
      // intelligence-indicator/replace-tags).
      permissions: SENTINEL_CONTRIBUTE,
      run: replaceIndicatorTags,
    },
    "azure-sentinel-list-alert-rule": {
      description: "Lists analytics (alert) rules, or gets one.",
      arguments: [arg("rule_id", "A rule's ID, to get only that one."), LIMIT, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-alert-rule"),
      // Alert Rules - List / Get (learn.microsoft.com/rest/api/securityinsights/alert-rules/list, …/get).
      permissions: SENTINEL_READ,
      run: listAlertRules,
    },
    "azure-sentinel-list-alert-rule-template": {
      description: "Lists analytics rule templates, or gets one.",
      arguments: [arg("template_id", "A template's ID, to get only that one."), LIMIT, ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-list-alert-rule-template"),
      // Alert Rule Templates - List / Get (learn.microsoft.com/rest/api/securityinsights/alert-rule-templates/list).
      permissions: SENTINEL_READ,
      run: listAlertRuleTemplates,
    },
    "azure-sentinel-delete-alert-rule": {
      description: "Deletes an analytics rule.",
      arguments: [arg("rule_id", "The rule's ID.", { required: true }), ...SCOPE_ARGUMENTS],
      outputs: outputs("azure-sentinel-delete-alert-rule"),
      // Alert Rules - Delete (learn.microsoft.com/rest/api/securityinsights/alert-rules/delete).
      permissions: SENTINEL_CONTRIBUTE,
      run: deleteAlertRule,
    },
    "azure-sentinel-create-alert-rule": {
      description: "Creates an analytics rule (fusion, Microsoft security incident creation or scheduled).",
      arguments: ALERT_RULE_ARGUMENTS,
      outputs: outputs("azure-sentinel-create-alert-rule"),
      // Alert Rules - Create Or Update (learn.microsoft.com/rest/api/securityinsights/alert-rules/create-or-update).
      permissions: SENTINEL_CONTRIBUTE,
      run: putAlertRule,
    },
    "azure-sentinel-update-alert-rule": {
      description: "Updates an analytics rule (send all of its properties, or rule_json).",
      arguments: ALERT_RULE_ARGUMENTS,
      outputs: outputs("azure-sentinel-update-alert-rule"),
      // Alert Rules - Create Or Update (learn.microsoft.com/rest/api/securityinsights/alert-rules/create-or-update).
      permissions: SENTINEL_CONTRIBUTE,
      run: putAlertRule,
    },
    "azure-sentinel-subscriptions-list": {
      description: "Lists the subscriptions the identity can see.",
      outputs: outputs("azure-sentinel-subscriptions-list"),
      // Subscriptions - List (learn.microsoft.com/rest/api/resources/subscriptions/list).
      permissions: ARM_READ,
      run: listSubscriptions,
    },
    "azure-sentinel-resource-group-list": {
      description: "Lists the resource groups of a subscription.",
      arguments: [
        arg("subscription_id", "The subscription ID, instead of the instance's Subscription ID."),
        arg("tag", 'Only groups with this tag, as JSON: {"environment": "production"}.'),
        LIMIT,
      ],
      outputs: outputs("azure-sentinel-resource-group-list"),
      // Resource Groups - List (learn.microsoft.com/rest/api/resources/resource-groups/list).
      permissions: ARM_READ,
      run: listResourceGroups,
    },
    "get-modified-remote-data": {
      description: "XSOAR's mirroring debug command: the IDs of the incidents modified since lastUpdate.",
      arguments: [
        arg("lastUpdate", "The time to look from (ISO 8601 or epoch milliseconds).", { required: true }),
      ],
      // Incidents - List with a lastModifiedTimeUtc filter (learn.microsoft.com/rest/api/securityinsights/incidents/list).
      permissions: SENTINEL_READ,
      run: getModifiedRemoteData,
    },
    "get-remote-data": {
      description: "XSOAR's mirroring debug command: an incident's fields as XSOAR mirrors them in.",
      arguments: [
        arg("id", "The incident's ID.", { required: true }),
        arg("lastUpdate", "Accepted as XSOAR's; the incident is read whole.", { defaultValue: "0" }),
      ],
      // Incidents - Get (learn.microsoft.com/rest/api/securityinsights/incidents/get).
      permissions: SENTINEL_READ,
      run: getRemoteData,
    },
    "get-mapping-fields": {
      description: "XSOAR's mirroring debug command: the incident fields XSOAR mirrors out to Sentinel.",
      // No request.
      permissions: [],
      run: getMappingFields,
    },
  },
  test: testIncidents,
  testPermissions: SENTINEL_READ,
});
