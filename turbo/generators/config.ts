// `pnpm gen integration`: asks for the integration's name, id, command prefix, its six flow cells and its resource,
// then writes the package, its README and changeset with scripts/new-integration.mjs (the same script CI runs
// non-interactively), builds it into the CLI and links it with `pnpm install --frozen-lockfile`: the lockfile gains
// the new importer and nothing else.
//
// Non-interactive: pnpm gen integration --args "<Name>" <id> <prefix> <xsoarApp> <clientCredentials> <deviceCode> \
//   <authorizationCode> <managedIdentities> <nationalClouds> <resource> "<description>"
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { PlopTypes } from "@turbo/gen";
import { RESOURCE_NAMES, RESOURCE_TEMPLATES } from "../../scripts/lib/resource-templates.mjs";

const YES_NO = ["yes", "no"];

function slug(text: string): string {
  return String(text ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const isSlug = (value: string) =>
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) || "Use lower-case letters, digits and single dashes.";

/** The repository root: the nearest folder upwards with a pnpm-workspace.yaml. */
function findRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export default function generator(plop: PlopTypes.NodePlopAPI): void {
  const root = findRoot(plop.getPlopfilePath());
  plop.setGenerator("integration", {
    description:
      "A new integration package: manifest, a first command, a test against the emulator, README, changeset and CLI entry",
    prompts: [
      {
        type: "input",
        name: "name",
        message: "Integration name (exactly the Integration Name of the supported-flows table)",
        validate: (value: string) => value.trim() !== "" || "The name is required.",
      },
      {
        type: "input",
        name: "id",
        message: "Package id (@msint/<id>)",
        default: (answers: { name: string }) => slug(answers.name),
        validate: isSlug,
      },
      {
        type: "input",
        name: "prefix",
        message: "Command prefix",
        default: (answers: { id: string }) => answers.id,
        validate: isSlug,
      },
      {
        type: "list",
        name: "xsoarApp",
        message: "XSOAR Application",
        choices: ["yes", "yes - device", "no"],
      },
      {
        type: "list",
        name: "clientCredentials",
        // The msint extensions (Workload Identity, Environment) are client-credentials grants: they come with it.
        message: "Client Credentials (brings the msint extensions Workload Identity and Environment)",
        choices: YES_NO,
      },
      { type: "list", name: "deviceCode", message: "Device Code", choices: YES_NO },
      { type: "list", name: "authorizationCode", message: "Auth code (redirect URI)", choices: YES_NO },
      {
        type: "list",
        name: "managedIdentities",
        message: "Azure Managed Identities",
        choices: ["yes", "no", "no - saas"],
      },
      { type: "list", name: "nationalClouds", message: "Supports National Clouds", choices: YES_NO },
      {
        type: "list",
        name: "resource",
        message: "Resource (a helper of @msint/integration-kit)",
        choices: RESOURCE_NAMES.map((value) => ({ name: RESOURCE_TEMPLATES[value]!.label, value })),
      },
      { type: "input", name: "description", message: "One-line description (optional)" },
    ],
    actions: [
      (answers) => {
        const a = answers as Record<string, string>;
        const flows = [
          a.xsoarApp,
          a.clientCredentials,
          a.deviceCode,
          a.authorizationCode,
          a.managedIdentities,
          a.nationalClouds,
        ].join(", ");
        const args = [
          "scripts/new-integration.mjs",
          "--id",
          a.id!,
          "--name",
          a.name!,
          "--prefix",
          a.prefix!,
          "--flows",
          flows,
          "--resource",
          a.resource!,
          "--install",
        ];
        if (a.description) args.push("--description", a.description);
        execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
        return `integrations/${a.id} and .changeset/${a.id}.md written, built into the msint CLI`;
      },
    ],
  });
}
