import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "./output.js";

const INSTANCE = "graph-demo";

/**
 * The main job on the embedded default: boots the emulator in this process with the demo tenant, configures a
 * Microsoft Graph User instance with client credentials in a throw-away store, and runs `msgraph-user-auth-test`
 * and `msgraph-user-list` through the same code path as `msint run`.
 */
export async function runDemo(io: Io): Promise<void> {
  const { startEmulator, DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } = await import(
    "@msint/entra-emulator"
  );
  const { main } = await import("./main.js");
  const emulator = await startEmulator({ port: 0 });
  const home = await mkdtemp(join(tmpdir(), "msint-demo-"));
  const saved = {
    home: process.env["MSINT_HOME"],
    key: process.env["MSINT_STORE_KEY"],
    secret: process.env["MSINT_DEMO_SECRET"],
  };
  process.env["MSINT_HOME"] = home;
  delete process.env["MSINT_STORE_KEY"];
  // The secret stays out of the store and of every printed line: the instance refers to the variable.
  process.env["MSINT_DEMO_SECRET"] = DEMO_CLIENT_SECRET;
  const step = async (title: string, args: string[]) => {
    io.out(`\n$ msint ${args.map((arg) => (/[\s!"]/.test(arg) ? `'${arg}'` : arg)).join(" ")}`);
    const code = await main(["node", "msint", ...args], io);
    if (code !== 0) throw new Error(`${title} failed with exit code ${code}`);
  };
  try {
    io.out(`msint demo: Entra ID and Microsoft Graph emulator on ${emulator.url}, store in ${home}`);
    await step("instance add", [
      "instance",
      "add",
      INSTANCE,
      "--integration",
      "msgraph-user",
      "--param",
      "self_deployed=true",
      "--param",
      "auth_type=Client Credentials",
      "--param",
      `tenant_id=${DEMO_TENANT_ID}`,
      "--param",
      `auth_id=${DEMO_CLIENT_ID}`,
      "--param",
      "enc_key=env:MSINT_DEMO_SECRET",
      "--param",
      "azure_cloud=Custom",
      "--param",
      `azure_ad_endpoint=${emulator.url}`,
      "--param",
      `server_url=${emulator.url}`,
    ]);
    await step("auth-test", ["run", "msgraph-user-auth-test", "--instance", INSTANCE]);
    await step("list", ["run", "!msgraph-user-list limit=5", "--instance", INSTANCE]);
    const tokenRequests = emulator.tokenRequests().length;
    io.out(
      `\nToken requests made to the login host: ${tokenRequests} (the second command used the cached token).`,
    );
    io.out(
      [
        "",
        "To point an instance at real Azure instead of the emulator:",
        "  msint instance add graph-prod --integration msgraph-user \\",
        "    --param self_deployed=true --param auth_type='Client Credentials' \\",
        "    --param tenant_id=<Directory (tenant) ID> --param auth_id=<Application (client) ID> \\",
        "    --param enc_key=env:GRAPH_CLIENT_SECRET --param azure_cloud=Worldwide",
        "  GRAPH_CLIENT_SECRET=<secret value> msint run msgraph-user-auth-test --instance graph-prod",
        "The app registration needs the Microsoft Graph application permission User.Read.All with admin consent.",
      ].join("\n"),
    );
  } finally {
    for (const [variable, value] of [
      ["MSINT_HOME", saved.home],
      ["MSINT_STORE_KEY", saved.key],
      ["MSINT_DEMO_SECRET", saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  }
}
