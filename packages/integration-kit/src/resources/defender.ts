import {
  CLOUD_APPS_ENDPOINT_TYPES,
  type CloudEndpoints,
  DEFENDER_ENDPOINT_TYPES,
  ENDPOINT_TYPE_PARAMETER,
  getCloudAppsEndpoint,
  getDefenderEndpoint,
  ParameterError,
} from "@msint/auth-core/internal";
import type { ResolvedParams, ResourceDefinition } from "../manifest.js";
import { type ParameterDefinition, validators } from "../parameters.js";
import { required, type ScopeOptions, text } from "./common.js";

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Defender

/** Parameter "Endpoint Type" of Microsoft Defender for Endpoint (and the XSIAM event collector). */
export const DEFENDER_ENDPOINT_TYPE_PARAMETER: ParameterDefinition = {
  key: "endpoint_type",
  displayName: ENDPOINT_TYPE_PARAMETER,
  type: "select",
  options: DEFENDER_ENDPOINT_TYPES,
  defaultValue: "Worldwide",
  help: "The Defender for Endpoint API of your tenant: Worldwide, a geo proximity API (US, EU, UK), US GCC, US GCC-High or DoD; Custom uses the Server URL. It also chooses where the instance signs in (login.microsoftonline.us for US GCC-High and DoD) unless Azure Cloud is set.",
};

function checkLoginCloud(cloud: CloudEndpoints, loginHost: string, type: string): void {
  if (type === "Custom") return; // a custom API URL signs in wherever Azure Cloud says
  // The Endpoint Type names the API and, with Azure Cloud left empty, the cloud. An Azure Cloud that says
  // otherwise would send the credentials to a cloud that does not know the tenant.
  if (cloud.id === "custom" || cloud.loginHost === loginHost) return;
  throw new ParameterError(
    `${ENDPOINT_TYPE_PARAMETER} ${type} signs in at ${loginHost}, but Azure Cloud ${cloud.displayName} signs in at ${cloud.loginHost}. Leave Azure Cloud empty (the Endpoint Type then chooses the cloud), or set it to the cloud of your tenant.`,
    ENDPOINT_TYPE_PARAMETER,
  );
}

/**
 * The Microsoft Defender for Endpoint API chosen by "Endpoint Type" (`https://api.securitycenter.microsoft.com`
 * on Worldwide), with tokens for the WindowsDefenderATP service (`https://securitycenter.onmicrosoft.com/
 * windowsatpservice/.default`, `.us` for US GCC-High and DoD).
 */
export function defenderForEndpoint(scopes: ScopeOptions = {}): ResourceDefinition {
  const resolve = (params: ResolvedParams) =>
    getDefenderEndpoint(
      text(params, "endpoint_type") || "Worldwide",
      text(params, "server_url") || undefined,
    );
  return {
    kind: "defender-for-endpoint",
    displayName: "Microsoft Defender for Endpoint",
    endpoint: (cloud, params) => {
      const endpoint = resolve(params);
      checkLoginCloud(cloud, endpoint.loginHost, endpoint.type);
      return endpoint.api;
    },
    audience: (_cloud, params) => `${resolve(params).aptServiceHost}/windowsatpservice`,
    cloudFor: (params) => resolve(params).cloud,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["Machine.Read", "Alert.Read", "offline_access"],
    parameters: [DEFENDER_ENDPOINT_TYPE_PARAMETER],
    permissionsApi: "WindowsDefenderATP",
    // `-test`'s default read: one alert. List alerts (learn.microsoft.com/defender-endpoint/api/get-alerts):
    // Alert.Read.All or Alert.ReadWrite.All (application), Alert.Read or Alert.ReadWrite (delegated).
    probe: {
      request: () => ({ path: "/api/alerts", query: { $top: 1 } }),
      permissions: {
        application: ["Alert.Read.All", "Alert.ReadWrite.All"],
        delegated: ["Alert.Read", "Alert.ReadWrite"],
      },
    },
  };
}

/** The application ID of the Microsoft Defender for Cloud Apps API, the resource of its tokens. */
export const CLOUD_APPS_RESOURCE_ID = "05a65629-4c1b-48c1-a78b-804c4abdd4af";

/** Parameter "Endpoint Type" of Microsoft Defender for Cloud Apps. */
export const CLOUD_APPS_ENDPOINT_TYPE_PARAMETER: ParameterDefinition = {
  key: "endpoint_type",
  displayName: ENDPOINT_TYPE_PARAMETER,
  type: "select",
  options: CLOUD_APPS_ENDPOINT_TYPES,
  defaultValue: "Worldwide",
  help: "The cloud of your Defender for Cloud Apps tenant: Worldwide, US GCC or US GCC-High. It also chooses where the instance signs in (login.microsoftonline.us for US GCC-High) unless Azure Cloud is set.",
};

/** Parameter "Server URL" of Defender for Cloud Apps: the tenant's own API URL. */
export const CLOUD_APPS_URL_PARAMETER: ParameterDefinition = {
  key: "url",
  displayName: "Defender for Cloud Apps API URL",
  type: "url",
  help: "The API URL of your tenant, e.g. https://contoso.us3.portal.cloudappsecurity.com (Microsoft Defender portal > Settings > Cloud Apps > About, or System > API tokens).",
  validate: validators.endpointUrl,
};

/** Microsoft Defender for Cloud Apps: the tenant's API URL, tokens for the Cloud Apps API application. */
export function defenderForCloudApps(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "defender-for-cloud-apps",
    displayName: "Microsoft Defender for Cloud Apps",
    endpoint: (cloud, params) => {
      const endpoint = getCloudAppsEndpoint(text(params, "endpoint_type") || undefined);
      checkLoginCloud(cloud, endpoint.loginHost, endpoint.type);
      return required(params, CLOUD_APPS_URL_PARAMETER);
    },
    audience: () => CLOUD_APPS_RESOURCE_ID,
    cloudFor: (params) => getCloudAppsEndpoint(text(params, "endpoint_type") || undefined).cloud,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? [".default", "offline_access"],
    parameters: [CLOUD_APPS_ENDPOINT_TYPE_PARAMETER, CLOUD_APPS_URL_PARAMETER],
    // The API keeps its former name in app registrations: "APIs my organization uses" → "Microsoft Cloud App
    // Security" (learn.microsoft.com/defender-cloud-apps/api-authentication-application).
    permissionsApi: "Microsoft Cloud App Security",
    // `-test`'s default read: one alert. The alerts list is a POST with the filters in the body
    // (learn.microsoft.com/defender-cloud-apps/api-alerts-list); Investigation.read reads activities and alerts.
    probe: {
      request: () => ({ method: "POST", path: "/api/v1/alerts/", body: { limit: 1 } }),
      permissions: { application: ["Investigation.read"], delegated: ["investigation.read"] },
    },
  };
}

/** The token audience of the Microsoft 365 Defender (Defender XDR) API. */
export const MICROSOFT_365_DEFENDER_AUDIENCE = "https://api.security.microsoft.com";

/** Parameter "Endpoint URI" of Microsoft 365 Defender. */
export const MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER: ParameterDefinition = {
  key: "base_url",
  displayName: "Endpoint URI",
  type: "url",
  defaultValue: MICROSOFT_365_DEFENDER_AUDIENCE,
  help: "The Microsoft 365 Defender API: https://api.security.microsoft.com, or the one closest to your tenant's data: https://api-us.security.microsoft.com, https://api-eu.security.microsoft.com, https://api-uk.security.microsoft.com.",
  validate: validators.endpointUrl,
};

/** The Microsoft 365 Defender API (incidents, advanced hunting), tokens for `https://api.security.microsoft.com`. */
export function microsoft365Defender(scopes: ScopeOptions = {}): ResourceDefinition {
  return {
    kind: "microsoft-365-defender",
    displayName: "Microsoft 365 Defender",
    endpoint: (cloud, params) => {
      const endpoint =
        text(params, MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER.key) || MICROSOFT_365_DEFENDER_AUDIENCE;
      // Microsoft documents the API's Worldwide and geo hosts only (learn.microsoft.com/defender-xdr/api-supported):
      // a token of a national cloud is never sent to them.
      const worldwide = /\.security\.microsoft\.com$/i.test(new URL(endpoint).hostname);
      if (worldwide && cloud.loginHost !== "https://login.microsoftonline.com") {
        throw new ParameterError(
          `${MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER.displayName} is the Worldwide API (${endpoint}), but Azure Cloud signs in at ${cloud.loginHost}. Set ${MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER.displayName} to your cloud's Microsoft 365 Defender API with --param base_url=<url>, or choose the Worldwide Azure Cloud.`,
          MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER.displayName,
        );
      }
      return endpoint;
    },
    audience: () => MICROSOFT_365_DEFENDER_AUDIENCE,
    applicationScopes: scopes.application ?? [".default"],
    delegatedScopes: scopes.delegated ?? ["Incident.Read", "AdvancedHunting.Read", "offline_access"],
    parameters: [MICROSOFT_365_DEFENDER_ENDPOINT_PARAMETER],
    permissionsApi: "Microsoft Threat Protection",
    // `-test`'s default read: one incident. List incidents (learn.microsoft.com/defender-xdr/api-list-incidents):
    // Incident.Read.All or Incident.ReadWrite.All (application), Incident.Read or Incident.ReadWrite (delegated).
    probe: {
      request: () => ({ path: "/api/incidents", query: { $top: 1 } }),
      permissions: {
        application: ["Incident.Read.All", "Incident.ReadWrite.All"],
        delegated: ["Incident.Read", "Incident.ReadWrite"],
      },
    },
  };
}
