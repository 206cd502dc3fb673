import { compilePattern, protectedRoute, type ResourceRoute } from "../routes.js";
import type { EmulatorSeed } from "../types.js";
import { armInfrastructureService } from "./arm-infrastructure.js";
import { armSecurityService } from "./arm-security.js";
import { azureDevOpsService } from "./azure-devops.js";
import { botFrameworkService } from "./bot-framework.js";
import { cloudApps } from "./cloud-apps.js";
import { defenderForEndpoint } from "./defender-for-endpoint.js";
import { graphDirectoryService } from "./graph-directory.js";
import { graphM365Service } from "./graph-m365.js";
import { keyVaultService } from "./key-vault.js";
import { kustoService } from "./kusto.js";
import { logAnalyticsService } from "./log-analytics.js";
import { microsoft365Defender } from "./microsoft-365-defender.js";
import { office365Management } from "./office-365-management.js";
import { sentinelService } from "./sentinel.js";
import { storageService } from "./storage.js";
import type { EmulatedService } from "./types.js";

export type { EmulatedService, ServiceRoute } from "./types.js";

/**
 * Every service the emulator serves besides Entra ID and Graph users, one module each. A module is added here once;
 * its routes, audiences and demo grants need nothing else.
 */
export const BUILT_IN_SERVICES: readonly EmulatedService[] = [
  storageService,
  armInfrastructureService,
  graphDirectoryService,
  defenderForEndpoint,
  microsoft365Defender,
  cloudApps,
  office365Management,
  armSecurityService,
  sentinelService,
  logAnalyticsService,
  keyVaultService,
  graphM365Service,
  kustoService,
  azureDevOpsService,
  botFrameworkService,
];

/** The services' routes, each wrapped with the token checks of {@link protectedRoute}. */
export function serviceRoutes(services: readonly EmulatedService[]): ResourceRoute[] {
  return services.flatMap((service) =>
    service.routes().map(
      (route): ResourceRoute => ({
        method: route.method.toUpperCase(),
        pattern: compilePattern(route.path),
        resourceKey: service.key,
        hosts: service.hosts,
        ...(service.hostsOnly ? { hostsOnly: true } : {}),
        handler: protectedRoute(
          {
            resource: service.key,
            ...(service.authenticate ? { authenticate: service.authenticate } : {}),
            ...(route.roles ? { roles: [...route.roles] } : {}),
            ...(route.scopes ? { scopes: [...route.scopes] } : {}),
          },
          route.handler,
        ),
      }),
    ),
  );
}

/**
 * Gives the seed's demo principals the services' demo permissions: every app and managed identity that holds some
 * grant already (the app without any grant stays without), and every app with delegated permissions configured.
 */
export function grantDemoPermissions(seed: EmulatorSeed, services: readonly EmulatedService[]): void {
  const addTo = (
    map: Record<string, string[]> | undefined,
    key: string,
    names: readonly string[] | undefined,
  ) => {
    if (!map || !names?.length) return;
    const current = map[key] ?? [];
    map[key] = [...current, ...names.filter((name) => !current.includes(name))];
  };
  for (const tenant of seed.tenants) {
    for (const app of tenant.apps) {
      const hasGrants = Object.values(app.grants ?? {}).some((roles) => roles.length > 0);
      const hasDelegated = Object.values(app.delegatedPermissions ?? {}).some((scopes) => scopes.length > 0);
      for (const service of services) {
        if (hasGrants) addTo(app.grants, service.key, service.demoRoles);
        if (hasDelegated) addTo(app.delegatedPermissions, service.key, service.demoScopes);
      }
    }
  }
  for (const identity of seed.managedIdentities ?? []) {
    const hasGrants = Object.values(identity.grants ?? {}).some((roles) => roles.length > 0);
    if (!hasGrants) continue;
    for (const service of services) addTo(identity.grants, service.key, service.demoRoles);
  }
}
