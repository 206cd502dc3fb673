/**
 * The executable's built-in integrations are bundles of their own, `dist/integrations/<id>.cjs`, so that a command
 * reads and compiles only its own integration, not all of them. They share this bundle's copy of
 * `@msint/integration-kit` (one flow registry, one error root, one logger): their build (tsup.config.ts) turns
 * `import … from "@msint/integration-kit"` into a read of the object registered here.
 *
 * Executable only (CommonJS, hence `require` and `__dirname`): the library build keeps `import("@msint/<id>")`.
 */
import type { Integration } from "@msint/integration-kit";
import * as kit from "@msint/integration-kit";

/** The key the integration bundles read the shared packages from (see tsup.config.ts, `shared-kit`). */
export const SHARED_MODULES = Symbol.for("msint.cli.shared-modules");

/** Requires `dist/integrations/<id>.cjs` with the shared kit in place. `id` comes from the built-in registry. */
export function requireIntegrationBundle(id: string): { default: Integration } {
  const shared = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>;
  shared[SHARED_MODULES] ??= { "@msint/integration-kit": kit };
  // Relative to this bundle's directory; on Node 20 the launcher compiles it with a code cache of its own.
  const path = `./integrations/${id}.cjs`;
  return require(path) as { default: Integration };
}
