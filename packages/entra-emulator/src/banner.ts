import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from "./seed.js";
import type { RunningEmulator } from "./types.js";

/**
 * Human-readable text for `msint emulator`: the URL, the tenant and client IDs, and the Custom-cloud
 * parameters that point an instance at the emulator. The only secret it prints is the demo app's public fake
 * constant (`DEMO_CLIENT_SECRET`), and only when the demo app is in the seed; seeded secrets are never printed.
 */
export function formatEmulatorBanner(emulator: Pick<RunningEmulator, "url" | "seed">): string {
  const { url, seed } = emulator;
  const demoTenant = seed.tenants.find((tenant) => tenant.id === DEMO_TENANT_ID);
  const demoApp = demoTenant?.apps.find((app) => app.clientId === DEMO_CLIENT_ID);
  const tenant = demoApp ? demoTenant! : seed.tenants[0];
  const app = demoApp ?? tenant?.apps.find((candidate) => !candidate.publicClient) ?? tenant?.apps[0];
  const lines = [`msint Entra emulator listening on ${url}`, ""];
  if (tenant) {
    const domain = tenant.domains?.[0];
    lines.push(`  Tenant ID      ${tenant.id}${domain ? ` (${domain})` : ""}`);
  }
  if (app) lines.push(`  Client ID      ${app.clientId} (${app.displayName})`);
  if (demoApp) {
    lines.push(
      `  Client secret  ${DEMO_CLIENT_SECRET}  (the public demo secret, DEMO_CLIENT_SECRET; emulator only)`,
    );
  } else if (app) {
    lines.push("  Client secret  (as in your seed file)");
  }
  if (tenant) lines.push(`  Token endpoint ${url}/${tenant.id}/oauth2/v2.0/token`);
  lines.push(`  Graph          ${url}/v1.0/users`);
  lines.push(
    "",
    "  Point an instance at it (Custom cloud):",
    "    azure_cloud=Custom",
    `    azure_ad_endpoint=${url}`,
    `    server_url=${url}`,
  );
  if (tenant && app) lines.push(`    tenant_id=${tenant.id}`, `    client_id=${app.clientId}`);
  return lines.join("\n");
}
