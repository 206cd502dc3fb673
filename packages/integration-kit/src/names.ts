import type { IntegrationManifest } from "./manifest.js";

/** A generated command's name in this integration: XSOAR's where the manifest names it, else `<prefix>-<suffix>`. */
export function generatedName(manifest: IntegrationManifest, suffix: string): string {
  return manifest.generatedCommandNames?.[suffix] ?? `${manifest.commandPrefix}-${suffix}`;
}
