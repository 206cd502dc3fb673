import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryStore, ParameterError } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/args.js";
import { GENERATED_COMMANDS, generatedCommand } from "../src/auth-commands.js";
import { defineIntegration } from "../src/define.js";
import type { IntegrationManifest } from "../src/manifest.js";
import { graph } from "../src/resources/index.js";
import { type InstanceDocument, runCommand } from "../src/runtime.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

const manifest = (flows: Partial<IntegrationManifest["flows"]>): IntegrationManifest => ({
  id: "table-sample",
  displayName: "Table Sample",
  commandPrefix: "table",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: true,
    ...flows,
  },
  resource: graph({ application: [".default"], delegated: ["User.Read"] }),
  commands: {
    "table-list": { description: "Lists.", run: async () => ({ readable: "listed" }) },
  },
});

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "66666666-7777-8888-9999-000000000000";

function instance(params: InstanceDocument["params"], context: InstanceDocument["context"] = {}) {
  const document: InstanceDocument = {
    version: 1,
    name: "table-prod",
    integration: "table-sample",
    params,
    context,
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
  };
  const store = new MemoryStore<InstanceDocument>();
  return { store, document, ready: store.update(document.name, () => document) };
}

describe("the table of generated commands", () => {
  it("gives each integration the commands its flows offer, and help finds each in the table", () => {
    const all = defineIntegration(
      manifest({ authorizationCode: true, deviceCode: true, xsoarApp: "yes", managedIdentities: true }),
    );
    expect(all.authCommands).toEqual(GENERATED_COMMANDS.map((command) => `table-${command.suffix}`));
    for (const name of all.authCommands) {
      const command = generatedCommand(all, name);
      expect(command?.description, name).toMatch(/\S/);
    }
    const clientOnly = defineIntegration(manifest({}));
    expect(clientOnly.authCommands).toEqual(["table-auth-test", "table-auth-reset", "table-test"]);
    // A generated name the flows do not offer, or an own command, is not a generated command of it.
    expect(generatedCommand(clientOnly, "table-generate-login-url")).toBeUndefined();
    expect(generatedCommand(clientOnly, "table-list")).toBeUndefined();
  });

  it("is what the READMEs and the integration guide list", () => {
    for (const file of ["README.md", "packages/integration-kit/README.md", "docs/adding-an-integration.md"]) {
      const text = readFileSync(join(root, file), "utf8");
      for (const { suffix } of GENERATED_COMMANDS)
        expect(text, `${file} names -${suffix}`).toContain(`-${suffix}\``);
    }
  });
});

describe("dispatch through the table", () => {
  const authorizationCode = defineIntegration(manifest({ authorizationCode: true }));
  const params = {
    self_deployed: true,
    auth_type: "Authorization Code",
    tenant_id: TENANT,
    auth_id: CLIENT,
    enc_key: "not-a-real-secret",
    redirect_uri: "http://localhost:8400/callback",
  };

  it("generate-login-url: the authorize request of the instance's cloud, with PKCE; the verifier stays in the context", async () => {
    const { store, document, ready } = instance(params);
    await ready;
    const result = await runCommand(
      authorizationCode,
      "table-generate-login-url",
      { consent: "true" },
      {
        store,
        document,
      },
    );
    // learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code:
    // GET https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize with client_id, response_type=code,
    // redirect_uri, scope, state, prompt=consent to ask again, code_challenge and code_challenge_method=S256.
    const url = new URL((result.outputs as { LoginUrl: string }).LoginUrl);
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
    );
    expect(url.searchParams.get("client_id")).toBe(CLIENT);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("redirect_uri")).toBe(params.redirect_uri);
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toMatch(/\S{16,}/);
    expect(result.readable).toContain("Run **!table-auth-test**");
    const stored = await store.read(document.name);
    expect(stored?.context?.pendingLogin).toBeDefined();
  });

  it("checks a generated command's arguments against the table: unknown, and not one of the choices", async () => {
    const { store, document, ready } = instance(params);
    await ready;
    const options = { store, document };
    await expect(
      runCommand(authorizationCode, "table-generate-login-url", { consent: "maybe" }, options),
    ).rejects.toThrow(new UsageError('consent must be one of: true, false (got "maybe").'));
    await expect(runCommand(authorizationCode, "table-auth-reset", { all: "true" }, options)).rejects.toThrow(
      new UsageError('table-auth-reset has no argument "all". It takes no arguments.'),
    );
    expect((await store.read(document.name))?.context).toEqual({});
  });

  it("auth-test reports a parameter its flow lacks before an argument it does not take, as before the table", async () => {
    const { store, document, ready } = instance({ ...params, tenant_id: undefined });
    await ready;
    const failure = runCommand(authorizationCode, "table-auth-test", { extra: "1" }, { store, document });
    await expect(failure).rejects.toBeInstanceOf(ParameterError);
    await expect(failure).rejects.toThrow(/Tenant ID/);
  });

  it("auth-reset: forgets the tokens and the pasted code, and names the flow's next commands", async () => {
    const { store, document, ready } = instance({ ...params, auth_code: "one-time-code" }, {
      refresh_token: "stored-refresh-token",
      pendingLogin: { state: "s", verifier: "v" },
    } as never);
    await ready;
    const result = await runCommand(authorizationCode, "table-auth-reset", {}, { store, document });
    expect(result.readable).toBe(
      [
        "Authorization was reset successfully. Please regenerate the credentials, and then click **Test** to validate the credentials and connection.",
        "Next: check the Client ID, Client Secret, Tenant ID and Application redirect URI, run !table-generate-login-url to get a new Authorization code, then run !table-auth-test.",
      ].join("\n"),
    );
    const stored = await store.read(document.name);
    expect(stored?.context).toEqual({});
    expect(stored?.params).not.toHaveProperty("auth_code");
    expect(stored?.params["tenant_id"]).toBe(TENANT);
  });
});
