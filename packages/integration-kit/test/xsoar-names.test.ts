import { MemoryStore } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import { defineIntegration, ManifestError } from "../src/define.js";
import type { IntegrationManifest } from "../src/manifest.js";
import { graph } from "../src/resources/index.js";
import { type InstanceDocument, runCommand } from "../src/runtime.js";

// XSOAR's names: commands outside the prefix, generated commands named as XSOAR names them, deprecated aliases of
// renamed commands, and the vendor's public client as the App/Client ID's default.

const manifest = (extra: Partial<IntegrationManifest> = {}): IntegrationManifest => ({
  id: "names-sample",
  displayName: "Names Sample",
  commandPrefix: "msg",
  flows: {
    xsoarApp: "device",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: false,
    managedIdentities: false,
    nationalClouds: true,
  },
  resource: graph(),
  commands: {
    "msg-list-alerts": { description: "Lists.", run: async () => ({ readable: "alerts" }) },
    "azure-list-resource-groups": {
      description: "Outside the prefix.",
      run: async () => ({ readable: "groups" }),
    },
  },
  ...extra,
});

async function run(integration: ReturnType<typeof defineIntegration>, command: string) {
  const document: InstanceDocument = {
    version: 1,
    name: "names",
    integration: "names-sample",
    params: {
      self_deployed: true,
      tenant_id: "11111111-2222-3333-4444-555555555555",
      auth_id: "66666666-7777-8888-9999-000000000000",
      enc_key: "s",
    },
    context: {},
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
  };
  const store = new MemoryStore<InstanceDocument>();
  await store.update(document.name, () => document);
  return runCommand(integration, command, {}, { store, document, env: {} });
}

describe("XSOAR's command names", () => {
  it("accepts a command whose name does not start with the prefix", async () => {
    const integration = defineIntegration(manifest());
    expect((await run(integration, "azure-list-resource-groups")).readable).toBe("groups");
  });

  it("names a generated command as XSOAR does, and keeps the prefixed name working", async () => {
    const integration = defineIntegration(
      manifest({ generatedCommandNames: { "auth-reset": "ms-graph-security-auth-reset" } }),
    );
    expect(integration.authCommands).toContain("ms-graph-security-auth-reset");
    expect(integration.authCommands).not.toContain("msg-auth-reset");
    for (const name of ["ms-graph-security-auth-reset", "msg-auth-reset"]) {
      expect((await run(integration, name)).readable).toContain("Authorization was reset successfully");
    }
  });

  it("runs a deprecated alias as the command it stands for, and says which name to use", async () => {
    const integration = defineIntegration(
      manifest({ deprecatedAliases: { "msg-alerts-list": "msg-list-alerts" } }),
    );
    const result = await run(integration, "msg-alerts-list");
    expect(result.readable).toBe("alerts");
    expect(result.notices).toEqual([
      "msg-alerts-list is deprecated and goes in the next release: use msg-list-alerts.",
    ]);
    expect(integration.commandNames()).not.toContain("msg-alerts-list");
  });

  it("refuses an alias of nothing, an alias that is a command, and a name that is not a slug", () => {
    expect(() => defineIntegration(manifest({ deprecatedAliases: { "msg-old": "msg-gone" } }))).toThrow(
      'deprecated alias "msg-old" names no command ("msg-gone")',
    );
    expect(() =>
      defineIntegration(manifest({ deprecatedAliases: { "msg-list-alerts": "azure-list-resource-groups" } })),
    ).toThrow('deprecated alias "msg-list-alerts" is also a command\'s name');
    expect(() =>
      defineIntegration(
        manifest({ commands: { "Msg List": { description: "x", run: async () => ({ readable: "" }) } } }),
      ),
    ).toThrow(ManifestError);
  });

  it("makes the vendor's public client the App/Client ID's default", () => {
    const clientId = "9093c354-630a-47f1-b087-6768eb9427e6";
    const integration = defineIntegration(manifest({ builtInClientId: clientId }));
    expect(integration.parameter("auth_id")?.defaultValue).toBe(clientId);
    expect(integration.parameter("auth_id")?.help).toContain(`public client ${clientId}`);
    expect(defineIntegration(manifest()).parameter("auth_id")?.defaultValue).toBeUndefined();
    expect(() => defineIntegration(manifest({ builtInClientId: "not-a-guid" }))).toThrow(
      "builtInClientId must be an application (client) ID",
    );
  });
});
