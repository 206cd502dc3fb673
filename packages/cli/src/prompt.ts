import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import {
  AUTH_PARAMETERS,
  type Integration,
  type ParameterDefinition,
  UsageError,
  validators,
} from "@msint/integration-kit";
import { type FlowPlan, flowPlans, isCloudParameter, nameIn, otherParameters } from "./flow-plans.js";
import { parseParams } from "./instances.js";

/** Whether `msint instance add` may ask: standard input and standard error are both a terminal. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Questions on the terminal: prompts on stderr (stdout stays the command's output), secrets not echoed. */
class Terminal {
  private muted = false;
  private readonly rl;
  private cancelled: ((error: Error) => void) | undefined;

  constructor() {
    const output = new Writable({
      write: (chunk, encoding, callback) => {
        if (!this.muted) process.stderr.write(chunk, encoding);
        callback();
      },
    });
    this.rl = createInterface({ input: process.stdin, output, terminal: true });
    this.rl.on("SIGINT", () => {
      this.muted = false;
      process.stderr.write("\n");
      this.cancelled?.(new UsageError("Cancelled: nothing was stored."));
    });
  }

  say(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  ask(question: string, secret = false): Promise<string> {
    return new Promise((resolve, reject) => {
      this.cancelled = reject;
      if (secret) {
        process.stderr.write(question);
        this.muted = true;
      }
      this.rl.question(secret ? "" : question, (answer) => {
        if (secret) {
          this.muted = false;
          process.stderr.write("\n");
        }
        resolve(answer);
      });
    });
  }

  async choose(title: string, options: readonly string[], defaultIndex = 0): Promise<number> {
    this.say(title);
    options.forEach((option, index) => {
      this.say(`  ${index + 1}) ${option}`);
    });
    for (;;) {
      const answer = (await this.ask(`Choose 1-${options.length} [${defaultIndex + 1}]: `)).trim();
      if (answer === "") return defaultIndex;
      const index = Number(answer) - 1;
      if (Number.isInteger(index) && index >= 0 && index < options.length) return index;
      const byName = options.findIndex((option) => option.toLowerCase() === answer.toLowerCase());
      if (byName >= 0) return byName;
      this.say(`  Type a number from 1 to ${options.length}.`);
    }
  }

  close(): void {
    this.rl.close();
  }
}

/**
 * Asks for one parameter until its value passes the parameter's own check. Secrets are not echoed; a Private
 * Key is read from the PEM file named (pasting a multi-line key into a prompt does not work).
 */
async function askParameter(
  terminal: Terminal,
  integration: Integration,
  definition: ParameterDefinition,
  name: string,
  required: boolean,
  plan?: FlowPlan,
): Promise<string | undefined> {
  const privateKey = definition.key === AUTH_PARAMETERS.private_key.key;
  // Tenant ID holds the broker's Token only for the Cortex XSOAR application; a tenant is no secret.
  const tenant = definition.key === AUTH_PARAMETERS.tenant_id.key && plan?.selfDeployed === true;
  const secret = definition.type === "secret" && !privateKey && !tenant;
  const suffix = [
    privateKey ? "path of the PEM file" : "",
    secret ? "hidden" : "",
    required ? "" : "optional, Enter to skip",
    definition.options ? definition.options.join(" / ") : "",
  ]
    .filter(Boolean)
    .join("; ");
  terminal.say(`  ${definition.help}`);
  for (;;) {
    const answer = (await terminal.ask(`? ${name}${suffix ? ` (${suffix})` : ""}: `, secret)).trim();
    if (answer === "") {
      if (!required) return undefined;
      terminal.say(`  ${name} is needed by this flow.`);
      continue;
    }
    let value = answer;
    if (privateKey && !answer.startsWith("env:")) {
      try {
        value = readFileSync(answer, "utf8");
      } catch {
        terminal.say(`  Cannot read ${answer}: give the path of the PEM file of the key.`);
        continue;
      }
    }
    try {
      parseParams(integration, [`${definition.key}=${value}`]);
      // What the flow needs of the value (the same parameters hold the broker's ID and Token otherwise).
      if (plan?.selfDeployed && !value.startsWith("env:")) {
        if (definition.key === "tenant_id") validators.tenant(value, definition);
        if (definition.key === "auth_id") validators.guid(value, definition);
      }
      return value;
    } catch (error) {
      // A value the parameter refuses is explained and asked again; anything else is a failure of its own.
      if (!(error instanceof Error && /^(ParameterError|UsageError)$/.test(error.name))) throw error;
      terminal.say(`  ${error.message}`);
    }
  }
}

/**
 * The interactive `msint instance add NAME --integration ID`: the flow first, then that flow's parameters (the
 * credential as a secret or a certificate), the cloud and the integration's own parameters. Returns them as
 * `KEY=VALUE` pairs for the same checks as `--param`.
 */
export async function promptForParameters(integration: Integration): Promise<string[]> {
  const terminal = new Terminal();
  const pairs: string[] = [];
  const put = (key: string, value: string | boolean | undefined) => {
    if (value !== undefined && value !== "") pairs.push(`${key}=${value}`);
  };
  try {
    const { manifest } = integration;
    const plans = flowPlans(integration);
    terminal.say(
      `Adding an instance of ${manifest.displayName}. Press Ctrl+C to cancel; nothing is stored until the end.`,
    );
    let plan: FlowPlan = plans[0]!;
    if (plans.length > 1) {
      plan =
        plans[
          await terminal.choose(
            "? How should it authenticate?",
            plans.map((each) => each.title),
          )
        ]!;
    } else {
      terminal.say(`It authenticates with ${plan.title}.`);
    }
    for (const [key, value] of Object.entries(plan.settings)) put(key, value);
    for (const definition of plan.required) {
      put(
        definition.key,
        await askParameter(terminal, integration, definition, nameIn(plan, definition), true, plan),
      );
    }
    if (plan.credential) {
      const p = AUTH_PARAMETERS;
      const certificate =
        integration.parameter(p.certificate_thumbprint.key) !== undefined &&
        (await terminal.choose("? Which credential?", [
          "Client Secret",
          "Certificate (thumbprint and private key)",
        ])) === 1;
      for (const definition of certificate ? [p.certificate_thumbprint, p.private_key] : [p.enc_key]) {
        put(
          definition.key,
          await askParameter(terminal, integration, definition, definition.displayName, true),
        );
      }
    }
    for (const definition of plan.optional) {
      if (definition.key === "auth_code") continue; // got by msint login or generate-login-url afterwards
      put(
        definition.key,
        await askParameter(terminal, integration, definition, nameIn(plan, definition), false, plan),
      );
    }
    const others = otherParameters(integration);
    const cloud = others.find((definition) => definition.key === "azure_cloud");
    if (cloud && plan.flow !== "shared-access-signature") {
      const options = cloud.options ?? [];
      const fallback = typeof cloud.defaultValue === "string" ? options.indexOf(cloud.defaultValue) : -1;
      const choice = options[await terminal.choose("? Azure Cloud", options, Math.max(fallback, 0))]!;
      put("azure_cloud", choice);
      if (choice === "Custom") {
        for (const key of ["azure_ad_endpoint", "server_url"]) {
          const definition = integration.parameter(key)!;
          put(key, await askParameter(terminal, integration, definition, definition.displayName, true));
        }
      }
    }
    for (const definition of others) {
      if (isCloudParameter(definition.key) || definition.type === "boolean") continue;
      put(
        definition.key,
        await askParameter(terminal, integration, definition, definition.displayName, false),
      );
    }
    return pairs;
  } finally {
    terminal.close();
  }
}
