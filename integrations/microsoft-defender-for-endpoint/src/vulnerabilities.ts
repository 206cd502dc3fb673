import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";
import { type Entry, filter, quote, required, timeArgument, wholeNumber } from "./context.js";

// Defender Vulnerability Management, learn.microsoft.com/defender-endpoint/api/: get-software,
// get-vuln-by-software, get-machines-by-software, get-software-ver-distribution, get-missing-kbs-software,
// get-all-vulnerabilities, get-all-vulnerabilities-by-machines, get-machines-by-vulnerability. XSOAR writes the
// API's own field names under its prefixes.

type Collection = { value?: Entry[] };

function listResult(title: string, prefix: string, key: string, items: Entry[], raw: unknown): CommandResult {
  return {
    readable: tableToMarkdown(title, items),
    outputsPrefix: prefix,
    outputsKeyField: key,
    outputs: items,
    raw,
  };
}

const page = (context: CommandContext, defaultLimit: string, max: number) => {
  const skip = wholeNumber(context.args["offset"] || "0", "offset", 0, 1_000_000);
  return {
    $top: wholeNumber(context.args["limit"] ?? defaultLimit, "limit", 1, max),
    $skip: skip || undefined,
  };
};

/** `microsoft-atp-list-software`: GET /api/Software, `$filter` on id, name and vendor, `$top`, `$skip`. */
export async function listSoftware(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const response = await context.api.get<Collection>(
    "/api/Software",
    {
      $filter: filter([
        args["id"] && `id eq ${quote(args["id"])}`,
        args["name"] && `name eq ${quote(args["name"])}`,
        args["vendor"] && `vendor eq ${quote(args["vendor"])}`,
      ]),
      ...page(context, "50", 10000),
    },
    { expect: "collection" },
  );
  const software = (response?.value ?? []).map((item) => ({ ...item }));
  return listResult(
    "Microsoft Defender For Endpoint software:",
    "MicrosoftATP.Software",
    "id",
    software,
    response,
  );
}

/**
 * `microsoft-atp-list-vulnerabilities`: GET /api/vulnerabilities, `$filter` on id, name, description, cvssV3,
 * publishedOn, severity and updatedOn, `$top` (at most 8000), `$skip`.
 */
export async function listVulnerabilities(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const cvss = args["cvss"];
  if (cvss !== undefined && Number.isNaN(Number(cvss)))
    throw new UsageError(`cvss must be a number (got "${cvss}").`);
  const response = await context.api.get<Collection>(
    "/api/vulnerabilities",
    {
      $filter: filter([
        args["id"] && `id eq ${quote(args["id"])}`,
        args["name_equal"] && `name eq ${quote(args["name_equal"])}`,
        args["name_contains"] && `contains(name,${quote(args["name_contains"])})`,
        args["description_contains"] && `contains(description,${quote(args["description_contains"])})`,
        args["published_on"] && `publishedOn ge ${timeArgument(args["published_on"], "published_on")}`,
        cvss && `cvssV3 ge ${Number(cvss)}`,
        args["severity"] && `severity eq ${quote(args["severity"])}`,
        args["updated_on"] && `updatedOn ge ${timeArgument(args["updated_on"], "updated_on")}`,
      ]),
      ...page(context, "25", 8000),
    },
    { expect: "collection" },
  );
  return listResult(
    "Microsoft Defender For Endpoint vulnerabilities:",
    "MicrosoftATP.Vulnerability",
    "id",
    response?.value ?? [],
    response,
  );
}

/**
 * `microsoft-atp-list-vulnerabilities-by-machine`: GET /api/vulnerabilities/machinesVulnerabilities, `$filter` on
 * machineId, cveId, productName, productVersion, severity and productVendor, `$top` (at most 8000), `$skip`.
 */
export async function listMachineVulnerabilities(context: CommandContext): Promise<CommandResult> {
  const { args } = context;
  const response = await context.api.get<Collection>(
    "/api/vulnerabilities/machinesVulnerabilities",
    {
      $filter: filter([
        args["machine_id"] && `machineId eq ${quote(args["machine_id"])}`,
        args["software_id"] && `id eq ${quote(args["software_id"])}`,
        args["cve_id"] && `cveId eq ${quote(args["cve_id"])}`,
        args["product_name"] && `productName eq ${quote(args["product_name"])}`,
        args["product_version"] && `productVersion eq ${quote(args["product_version"])}`,
        args["severity"] && `severity eq ${quote(args["severity"])}`,
        args["product_vendor"] && `productVendor eq ${quote(args["product_vendor"])}`,
      ]),
      ...page(context, "25", 8000),
    },
    { expect: "collection" },
  );
  return listResult(
    "Microsoft Defender For Endpoint vulnerabilities per machine:",
    "MicrosoftATP.MachineCVE",
    "id",
    response?.value ?? [],
    response,
  );
}

/** `microsoft-atp-list-machines-by-vulnerability`: GET /api/vulnerabilities/{cveId}/machineReferences per CVE. */
export async function listMachinesByVulnerability(context: CommandContext): Promise<CommandResult> {
  const machines: Entry[] = [];
  for (const cve of required(context, "cve_id")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)) {
    const response = await context.api.get<Collection>(
      `/api/vulnerabilities/${encodeURIComponent(cve)}/machineReferences`,
      undefined,
      { expect: "collection" },
    );
    for (const machine of response?.value ?? []) {
      machines.push({
        ID: machine["id"],
        ComputerDNSName: machine["computerDnsName"],
        OSPlatform: machine["osPlatform"],
        RBACGroupName: machine["rbacGroupName"],
        CVE: cve,
      });
    }
  }
  return listResult(
    "Microsoft Defender ATP machines by vulnerability:",
    "MicrosoftATP.CveMachine",
    "ID",
    machines,
    machines,
  );
}

/** The per-software reads: GET /api/Software/{id}/<path>. */
export function softwareRelated(
  path: "vulnerabilities" | "machineReferences" | "distributions" | "getmissingkbs",
) {
  const spec = {
    vulnerabilities: { prefix: "MicrosoftATP.SoftwareCVE", key: "id", title: "vulnerabilities of software" },
    machineReferences: { prefix: "MicrosoftATP.SoftwareMachine", key: "id", title: "machines with software" },
    distributions: {
      prefix: "MicrosoftATP.SoftwareVersion",
      key: "version",
      title: "version distribution of",
    },
    // XSOAR's yml writes "MicMicrosoftATP.SoftwareKB" (a typo in its outputs); msint writes the intended path.
    getmissingkbs: { prefix: "MicrosoftATP.SoftwareKB", key: "id", title: "missing KBs of software" },
  }[path];
  return async (context: CommandContext): Promise<CommandResult> => {
    const id = context.args["id"];
    if (!id) throw new UsageError("id is required: the software's ID (e.g. microsoft-_-edge).");
    const response = await context.api.get<Collection>(
      `/api/Software/${encodeURIComponent(id)}/${path}`,
      undefined,
      { expect: "collection" },
    );
    return listResult(
      `Microsoft Defender ATP ${spec.title} ${id}:`,
      spec.prefix,
      spec.key,
      response?.value ?? [],
      response,
    );
  };
}
