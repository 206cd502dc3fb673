import { UsageError } from "@msint/integration-kit";
import type { Command } from "commander";
import { requireInstance, requireIntegration } from "../instances.js";
import { limitsFromEnv, transportFor, withDeadline } from "../limits.js";
import { registerSecrets } from "../secrets.js";
import { openStore } from "../store.js";
import type { CliContext } from "./context.js";

interface LoginOptions {
  timeout: string;
  consent?: boolean;
  open?: boolean;
}

/** `msint login <instance>`: the Authorization Code flow through the loopback redirect URI (../login.ts). */
export function registerLogin(program: Command, cli: CliContext): void {
  program
    .command("login <instance>")
    .description(
      "Authorization Code flow without copy-paste: sign in through the loopback redirect URI of the instance",
    )
    .option("--timeout <seconds>", "how long to wait for the sign-in", "300")
    .option("--consent", "ask for consent again (prompt=consent)")
    .option("--open", "open the sign-in page in the browser ($BROWSER, else xdg-open / open / start)")
    .action((name: string, options: LoginOptions) => loginAction(cli, name, options));
}

async function loginAction(cli: CliContext, name: string, options: LoginOptions): Promise<void> {
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    throw new UsageError(`--timeout takes a number of seconds, not "${options.timeout}".`);
  }
  const limits = limitsFromEnv();
  await withDeadline(
    async () => {
      const store = await openStore();
      const document = await requireInstance(store, name);
      const integration = await requireIntegration(document.integration);
      registerSecrets(integration, document);
      const transport = transportFor(integration, document, limits);
      const { login } = await import("../login.js");
      await login(cli.io, store, document, integration, {
        timeoutSeconds,
        consent: Boolean(options.consent),
        open: Boolean(options.open),
        transport,
      });
    },
    timeoutSeconds * 1000 + limits.deadlineMs,
    "msint login",
  );
}
