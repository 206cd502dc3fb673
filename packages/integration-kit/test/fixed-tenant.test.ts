// `ResourceDefinition.tenant`: a resource whose tenant the service fixes gets its tokens by client credentials from
// that tenant, whatever flow the instance uses for its other resources. The Bot Framework is the case: a bot asks
// https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token for https://api.botframework.com/.default
// (learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
import {
  BOT_FRAMEWORK_TENANT_DOMAIN,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  type RunningEmulator,
  startEmulator,
} from "@msint/entra-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consentScopesFor, resolveEndpoints } from "../src/auth.js";
import { connect } from "../src/connect.js";
import { defineIntegration } from "../src/define.js";
import type { ResourceDefinition } from "../src/manifest.js";
import { resolveParameterValues } from "../src/parameters.js";
import { graph } from "../src/resources/index.js";

const BOT_URL = {
  key: "bot_url",
  displayName: "Bot Connector URL",
  type: "url",
  help: "The serviceUrl.",
} as const;
const bot: ResourceDefinition = {
  kind: "bot-framework",
  displayName: "Bot Framework",
  endpoint: (_cloud, params) => String(params["bot_url"]),
  audience: () => "https://api.botframework.com",
  tenant: BOT_FRAMEWORK_TENANT_DOMAIN,
  applicationScopes: [".default"],
  delegatedScopes: [],
  customEndpoint: BOT_URL,
  parameters: [BOT_URL],
  probe: { request: () => ({ method: "GET", path: "/v3/conversations" }) },
};
const CHANNEL = "19:02bd9fd68f93475887c31fb73740a315@thread.tacv2";

const integration = defineIntegration({
  id: "fixed-tenant",
  displayName: "Fixed Tenant",
  commandPrefix: "fixed-tenant",
  flows: {
    xsoarApp: false,
    clientCredentials: true,
    deviceCode: false,
    authorizationCode: true,
    managedIdentities: false,
    nationalClouds: false,
  },
  resource: graph({ application: [".default"], delegated: ["User.Read"] }),
  additionalResources: { bot },
  commands: {
    "fixed-tenant-post": {
      description: "Reads a user from Graph, then posts to a channel through the Bot Connector.",
      async run({ api, apiFor }) {
        await api.get("/v1.0/users", { $top: 1 }, { expect: "collection" });
        const sent = await apiFor("bot").request<{ id: string }>({
          method: "POST",
          path: `/v3/conversations/${encodeURIComponent(CHANNEL)}/activities`,
          body: { type: "message", text: "hello" },
          expect: "object",
        });
        return { readable: `sent ${sent.id}` };
      },
    },
  },
});

let emulator: RunningEmulator;
const params = () => ({
  self_deployed: true,
  tenant_id: DEMO_TENANT_ID,
  auth_id: DEMO_CLIENT_ID,
  enc_key: DEMO_CLIENT_SECRET,
  azure_cloud: "Custom",
  azure_ad_endpoint: emulator.url,
  server_url: emulator.url,
  bot_url: `${emulator.url}/teams`,
});

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.clearRequests());

describe("a resource with a fixed tenant", () => {
  it("gets its token from that tenant with the resource's .default scope, the main resource from the instance's", async () => {
    const connection = connect(integration, { params: params(), env: {} });
    expect((await connection.run("fixed-tenant-post")).readable).toMatch(/^sent \d+$/);
    const tokens = emulator.tokenRequests().map((request) => ({
      tenant: request.tenant,
      scope: request.scope,
      clientId: request.clientId,
      grantType: request.grantType,
    }));
    expect(tokens).toEqual([
      {
        tenant: DEMO_TENANT_ID,
        scope: `${emulator.url}/.default`,
        clientId: DEMO_CLIENT_ID,
        grantType: "client_credentials",
      },
      {
        tenant: "botframework.com",
        scope: "https://api.botframework.com/.default",
        clientId: DEMO_CLIENT_ID,
        grantType: "client_credentials",
      },
    ]);
    const posted = emulator.requests.find((request) => request.method === "POST" && request.service);
    expect(posted).toMatchObject({
      service: "bot-framework",
      path: `/teams/v3/conversations/${encodeURIComponent(CHANNEL)}/activities`,
    });
    // The second command reuses both cached tokens: no new token request.
    await connection.run("fixed-tenant-post");
    expect(emulator.tokenRequests()).toHaveLength(2);
  });

  it("is left out of a delegated sign-in's consent, whose tokens are the user's", () => {
    const resolved = resolveParameterValues(
      integration.parameters,
      { ...params(), auth_type: "Authorization Code", redirect_uri: "http://localhost:8400/callback" },
      {},
    );
    const scopes = consentScopesFor(
      integration.manifest,
      "authorization-code",
      resolved,
      resolveEndpoints(integration.manifest, resolved),
    );
    expect(scopes).toContain("User.Read");
    expect(scopes.join(" ")).not.toContain("botframework");
  });

  it("-test reaches it with its probe", async () => {
    const connection = connect(integration, { params: params(), env: {} });
    const result = await connection.run("fixed-tenant-test");
    expect(result.readable).toContain("- Bot Framework: GET ");
    expect(result.readable).toContain("/teams/v3/conversations → 200");
  });
});
