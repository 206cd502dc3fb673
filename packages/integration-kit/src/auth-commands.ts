import {
  type ContextAccess,
  type ContextStore,
  createLoginUrl,
  formatCommand,
  startDeviceCode,
  type Transport,
  toPendingDeviceCode,
} from "@msint/auth-core/internal";
import type { Authorization } from "./api-client.js";
import {
  consentScopesFor,
  FLOW_NAMES,
  type KitFlowId,
  type ResolvedEndpoints,
  requireParameters,
  selectFlow,
} from "./auth.js";
import type { Integration } from "./define.js";
import type { ArgumentDefinition, IntegrationManifest, ResolvedParams, SupportedFlows } from "./manifest.js";
import { generatedName } from "./names.js";
import { AUTH_PARAMETERS, textParameter, toBoolean } from "./parameters.js";
import { missingPermissionError, type PermissionReport, permissionReport } from "./permissions.js";
import type { CommandResult } from "./results.js";
import type { InstanceDocument } from "./runtime.js";
import { type ReachedRequest, reachedLines } from "./test-run.js";

/** The seed's security notice about device-code phishing, shown with every device code. */
export const DEVICE_CODE_NOTICE = [
  "> **Security awareness:** prefer the Client Credentials or Authorization Code flows where you can; the device code",
  "> flow offers limited protection against sophisticated phishing. No one will ever email you or otherwise ask you to",
  "> enter a security code or follow a link: the only genuine links and codes are the ones this command prints.",
].join("\n");

export interface AuthCommandInput {
  manifest: IntegrationManifest;
  params: ResolvedParams;
  endpoints: ResolvedEndpoints;
  transport: Transport;
  access: ContextAccess;
  instance: string;
  now?: () => number;
}

/**
 * `<prefix>-generate-login-url`: the authorize URL of the instance's cloud with state and a PKCE challenge; the
 * verifier and state are kept in the integration context for the code's redemption in a later process.
 */
export async function generateLoginUrl(input: AuthCommandInput, consent: boolean): Promise<CommandResult> {
  const { manifest, params, endpoints, access, instance } = input;
  const p = AUTH_PARAMETERS;
  requireParameters("authorization-code", params, [p.tenant_id, p.auth_id, p.redirect_uri], true);
  const { url, pendingLogin } = createLoginUrl({
    loginHost: endpoints.loginHost,
    tenantId: textParameter(params, "tenant_id"),
    clientId: textParameter(params, "auth_id"),
    redirectUri: textParameter(params, "redirect_uri"),
    scopes: consentScopesFor(manifest, "authorization-code", params, endpoints),
    consent,
    now: input.now?.(),
  });
  await access.update((context) => ({ ...context, pendingLogin }));
  const readable = [
    "### Authorization instructions",
    `1. Click on the [login URL](${url}) to sign in and grant msint permissions for ${[manifest.resource, ...Object.values(manifest.additionalResources ?? {})].map((resource) => resource.displayName).join(" and ")}.`,
    "You will be automatically redirected to a link with the following structure:",
    "```REDIRECT_URI?code=AUTH_CODE&state=STATE&session_state=SESSION_STATE```",
    "2. Copy the `AUTH_CODE` (without the `code=` prefix and the other parameters), or simply the whole redirected URL,",
    "and paste it in your instance configuration under the **Authorization code** parameter:",
    `   msint instance set ${instance} --param auth_code='<code or redirected URL>'`,
    `3. Run **${formatCommand(generatedName(manifest, "auth-test"))}**.`,
    consent
      ? ""
      : `If a command later says "Missing scope permissions on the request", run **${formatCommand(generatedName(manifest, "generate-login-url"), { consent: "true" })}** to ask for consent again.`,
  ]
    .filter(Boolean)
    .join("\n");
  return { readable, outputsPrefix: "AuthorizationCode", outputs: { LoginUrl: url }, raw: { url } };
}

/** `<prefix>-auth-start`: starts a device-code sign-in and keeps only the device code in the context. */
export async function startDeviceAuthorization(input: AuthCommandInput): Promise<CommandResult> {
  const { manifest, params, endpoints, transport, access } = input;
  requireParameters("device-code", params, [AUTH_PARAMETERS.auth_id], toBoolean(params["self_deployed"]));
  const started = await startDeviceCode({
    loginHost: endpoints.loginHost,
    tenantId: textParameter(params, "tenant_id") || "organizations",
    clientId: textParameter(params, "auth_id"),
    scopes: consentScopesFor(manifest, "device-code", params, endpoints),
    transport,
  });
  // A new sign-in replaces every earlier token, refresh token and pending login of the instance.
  await access.update(() => ({ deviceCode: toPendingDeviceCode(started) }));
  const readable = [
    "### Authorization instructions",
    `1. To sign in, use a web browser to open the page [${started.verificationUri}](${started.verificationUri})`,
    `and enter the code **${started.userCode}** to authenticate.`,
    `2. Run **${formatCommand(generatedName(manifest, "auth-complete"))}** (or **${formatCommand(generatedName(manifest, "auth-complete"), { wait: "true" })}** to wait for the sign-in).`,
    "",
    DEVICE_CODE_NOTICE,
  ].join("\n");
  return {
    readable,
    outputsPrefix: "DeviceCode",
    outputs: {
      VerificationUri: started.verificationUri,
      UserCode: started.userCode,
      ExpiresAt: new Date(started.expiresAt).toISOString(),
    },
  };
}

/** The flow's token for the main resource, and the integration's own test call, as a generated command uses them. */
export interface GeneratedCommandSession {
  /** The flow the instance's parameters select. */
  flow: KitFlowId;
  /** Gets a token (from the cache unless `forceRefresh`), as every API call of the command would. */
  authorize(forceRefresh: boolean): Promise<Authorization>;
  /**
   * XSOAR's Test button: the manifest's `test`, then a probe of each resource it did not reach; returns every
   * answer, by resource.
   */
  test(): Promise<ReachedRequest[]>;
}

/**
 * What a generated command gets from the runtime. The pieces of a run are functions, so that each command asks
 * for them in its own order: which error a run with two faults reports (a bad argument, or a parameter the flow
 * lacks) is part of the command's behaviour.
 */
export interface GeneratedCommandRun {
  integration: Integration;
  /** The full command name, `<prefix>-<suffix>`. */
  name: string;
  store: ContextStore<InstanceDocument>;
  document: InstanceDocument;
  params: ResolvedParams;
  /** Whether hints are in the War Room form (no command formatter given): the seed's words where XSOAR reads them. */
  warRoom: boolean;
  /** The command's arguments, checked against its declared ones (a UsageError names the wrong one). */
  args(): Record<string, string>;
  /** Resolves the instance's endpoints, transport and flow (once; a parameter they cannot use fails here). */
  resolve(): void;
  /** What a sign-in that starts here needs: endpoints, transport, access to the instance's context. */
  signIn(): AuthCommandInput;
  /** The flow's strategy and token provider; `waitForSignIn` polls a device code until the user is done. */
  session(waitForSignIn?: boolean): GeneratedCommandSession;
}

/** One command the kit generates for every integration whose flows offer it. */
export interface GeneratedCommand {
  /** The name after `<prefix>-`. */
  suffix: string;
  /** One line for help, `msint integrations <id>` and the docs. */
  description: string;
  arguments: readonly ArgumentDefinition[];
  /** Whether an integration with these flows has the command. */
  offeredBy(flows: SupportedFlows): boolean;
  run(run: GeneratedCommandRun): Promise<CommandResult>;
}

const everyFlow = () => true;
const deviceCodeFlows = (flows: SupportedFlows) => flows.deviceCode || flows.xsoarApp === "device";

/** What `<prefix>-auth-reset` says to do next, by the flow the instance's parameters select. */
function resetGuidance(integration: Integration, params: ResolvedParams, warRoom: boolean): string {
  const cmd = (name: string) => formatCommand(generatedName(integration.manifest, name));
  let flow: string | undefined;
  try {
    flow = selectFlow(integration.manifest, params).flow;
  } catch {
    flow = undefined;
  }
  const lines = [
    // The seed's words where they are read, in XSOAR; elsewhere there is no Test button to click.
    warRoom
      ? "Authorization was reset successfully. Please regenerate the credentials, and then click **Test** to validate the credentials and connection."
      : "Authorization was reset successfully: the stored tokens and sign-in state are gone.",
  ];
  if (flow === "authorization-code") {
    lines.push(
      `Next: check the Client ID, Client Secret, Tenant ID and Application redirect URI, run ${cmd("generate-login-url")} to get a new Authorization code, then run ${cmd("auth-test")}.`,
    );
  } else if (flow === "device-code") {
    lines.push(`Next: run ${cmd("auth-start")} and ${cmd("auth-complete")}, then ${cmd("auth-test")}.`);
  } else {
    lines.push(
      `Next: run ${cmd("auth-test")}; the next command requests a new token with the app's current permissions.`,
    );
  }
  return lines.join("\n");
}

/** The bearer token of an authorization, if it is one (a SAS token is not). */
function bearerTokenOf(authorization: Authorization): string | undefined {
  const header = authorization.headers?.["authorization"];
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
}

/**
 * Compares the main resource's token with the permissions the integration declares; throws when the token lacks one
 * the test needs, else returns the lines to print (granted, needed, missing for some commands).
 */
function checkPermissions(run: GeneratedCommandRun, authorization: Authorization): PermissionReport {
  const { manifest } = run.integration;
  const token = bearerTokenOf(authorization);
  if (token === undefined && authorization.query) return { lines: [], missingForTest: [] };
  const report = permissionReport(manifest, token);
  if (token !== undefined && report.missingForTest.length > 0) {
    throw missingPermissionError(manifest, token, report);
  }
  return report;
}

/** `<prefix>-auth-reset`: forgets every piece of auth state, and the pasted authorization code with it. */
async function resetAuthorization(run: GeneratedCommandRun): Promise<CommandResult> {
  run.args();
  // The authorization code is single-use: sending it again after a reset would only be refused.
  await run.store.update(run.document.name, (current) => {
    if (!current) return current;
    const { auth_code: _consumed, ...kept } = current.params;
    return { ...current, params: kept, context: {}, updatedAt: new Date().toISOString() };
  });
  return { readable: resetGuidance(run.integration, run.params, run.warRoom) };
}

/**
 * The generated commands, in the order `commandNames()` lists them: what each does, which flows offer it and
 * its handler. Dispatch (runtime.ts), `defineIntegration`'s command list, the CLI's help and
 * `msint integrations <id>`, and the generated integration docs all read this table.
 */
export const GENERATED_COMMANDS: readonly GeneratedCommand[] = [
  {
    suffix: "auth-test",
    description: "Get a token with the instance's credentials and report whether it works.",
    arguments: [],
    offeredBy: everyFlow,
    async run(run) {
      const session = run.session();
      run.args();
      const report = checkPermissions(run, await session.authorize(false));
      return { readable: ["✅ Success!", ...report.lines].join("\n") };
    },
  },
  {
    suffix: "auth-reset",
    description:
      "Forget the instance's tokens, refresh token and pending sign-in (and a pasted authorization code).",
    arguments: [],
    offeredBy: everyFlow,
    run: resetAuthorization,
  },
  {
    suffix: "test",
    description: "Authenticate and make one call to the service, as XSOAR's Test button does.",
    arguments: [],
    offeredBy: everyFlow,
    async run(run) {
      const session = run.session();
      run.args();
      const report = checkPermissions(run, await session.authorize(false));
      const reached = await session.test();
      const { manifest } = run.integration;
      return {
        readable: [
          `✅ Success! ${manifest.displayName} authenticated with ${FLOW_NAMES[session.flow]} and reached:`,
          ...reachedLines(manifest, reached),
          ...report.lines,
        ].join("\n"),
      };
    },
  },
  {
    suffix: "generate-login-url",
    description: "Authorization Code flow: print the sign-in URL (msint login does the whole sign-in).",
    arguments: [
      {
        name: "consent",
        description: "true to ask the user for consent again (prompt=consent)",
        predefined: ["true", "false"],
      },
    ],
    offeredBy: (flows) => flows.authorizationCode,
    run(run) {
      const input = run.signIn();
      return generateLoginUrl(input, toBoolean(run.args()["consent"]));
    },
  },
  {
    suffix: "auth-start",
    description: "Device code flow: print the verification URL and the code to enter there.",
    arguments: [],
    offeredBy: deviceCodeFlows,
    run(run) {
      const input = run.signIn();
      run.args();
      return startDeviceAuthorization(input);
    },
  },
  {
    suffix: "auth-complete",
    description: "Device code flow: redeem the code once the sign-in is done.",
    arguments: [
      {
        name: "wait",
        description: "true to wait until the sign-in is finished (as long as the code lives)",
        predefined: ["true", "false"],
      },
    ],
    offeredBy: deviceCodeFlows,
    async run(run) {
      run.resolve();
      const session = run.session(toBoolean(run.args()["wait"]));
      // Redeem the device code now, whatever token may still be cached.
      await session.authorize(true);
      return { readable: "✅ Authorization completed successfully." };
    },
  },
];

/** The names of the commands the kit generates for a manifest, by its flows. */
export function generatedCommandNames(manifest: IntegrationManifest): string[] {
  return GENERATED_COMMANDS.filter((command) => command.offeredBy(manifest.flows)).map((command) =>
    generatedName(manifest, command.suffix),
  );
}

/**
 * The generated command an integration answers to this name, if any: its listed name, or `<prefix>-<suffix>` where
 * the manifest gives it another.
 */
export function generatedCommand(integration: Integration, name: string): GeneratedCommand | undefined {
  const { manifest } = integration;
  return GENERATED_COMMANDS.find(
    (command) =>
      command.offeredBy(manifest.flows) &&
      (generatedName(manifest, command.suffix) === name ||
        `${manifest.commandPrefix}-${command.suffix}` === name),
  );
}
