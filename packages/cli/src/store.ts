import { homedir } from "node:os";
import { join } from "node:path";
import { type ContextStore, openFileStore } from "@msint/auth-core";
import type { InstanceDocument } from "@msint/integration-kit";

/** Where the embedded store lives: MSINT_HOME, else ~/.msint. */
export function msintHome(env: NodeJS.ProcessEnv = process.env): string {
  return env["MSINT_HOME"] || join(homedir(), ".msint");
}

/** Opens the embedded, encrypted store (key from MSINT_STORE_KEY, else a generated key file). */
export function openStore(env: NodeJS.ProcessEnv = process.env): Promise<ContextStore<InstanceDocument>> {
  return openFileStore<InstanceDocument>({
    home: msintHome(env),
    passphrase: env["MSINT_STORE_KEY"] || undefined,
  });
}
