import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// @azure/msal-node is a dependency of @msint/auth-core, not of this package: load it from there when the workspace
// has it, and skip these tests otherwise.
// biome-ignore lint/suspicious/noExplicitAny: the module is loaded dynamically, without its types.
export async function loadMsal(): Promise<any> {
  try {
    const require = createRequire(new URL("../../auth-core/package.json", import.meta.url));
    return await import(pathToFileURL(require.resolve("@azure/msal-node")).href);
  } catch {
    return undefined;
  }
}
