import { type CommandContext, type CommandResult, tableToMarkdown, UsageError } from "@msint/integration-kit";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

function parseOData(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(new URLSearchParams(text.replace(/^\?/, "")));
}

function parseBody(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('request_body must be JSON, e.g. {"accountEnabled": false}.');
  }
}

/** XSOAR's headers argument: `name=value` pairs, comma-separated (e.g. ConsistencyLevel=eventual). */
function parseHeaders(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    if (at < 1 || !name) throw new UsageError(`headers: "${pair.trim()}" is not name=value.`);
    if (name.toLowerCase() === "authorization") {
      throw new UsageError("headers: the Authorization header comes from the instance's authentication.");
    }
    headers[name] = pair.slice(at + 1).trim();
  }
  return headers;
}

/** `msgraph-api-request`: {method} /{api_version}/{resource}?{odata}, with the extra headers given. */
export async function graphRequest(context: CommandContext<{ resource: string }>): Promise<CommandResult> {
  const { args } = context;
  const resource = args["resource"].trim();
  if (/^https?:\/\//i.test(resource)) {
    throw new UsageError(
      "resource is a path such as /users; the Graph host comes from the instance's Azure Cloud.",
    );
  }
  const method = (args["http_method"] ?? "GET").toUpperCase() as Method;
  const response = await context.api.request<Record<string, unknown> | undefined>({
    method,
    path: `/${args["api_version"] ?? "v1.0"}/${resource.replace(/^\/+/, "")}`,
    query: parseOData(args["odata"]),
    body: parseBody(args["request_body"]),
    headers: parseHeaders(args["headers"]),
  });
  if (response === undefined) {
    return { readable: `The API returned no content (${method} ${resource}).` };
  }
  const value = Array.isArray(response["value"])
    ? (response["value"] as Record<string, unknown>[])
    : undefined;
  const result: CommandResult = {
    readable: tableToMarkdown(`Microsoft Graph: ${method} ${resource}`, value ?? [response]),
    raw: response,
  };
  if (args["populate_context"] !== "false") {
    result.outputsPrefix = "MicrosoftGraph";
    result.outputs = value ?? response;
  }
  return result;
}

/** `msgraph-api-organization-get` (msint only): GET /v1.0/organization. */
export async function getOrganization(context: CommandContext): Promise<CommandResult> {
  const response = await context.api.get<{ value?: Array<Record<string, unknown>> }>(
    "/v1.0/organization",
    {
      $select: "id,displayName,verifiedDomains,countryLetterCode",
    },
    { expect: "collection" },
  );
  const organization = response?.value?.[0] ?? {};
  const domains =
    (organization["verifiedDomains"] as Array<{ name?: string; isDefault?: boolean }> | undefined) ?? [];
  return {
    readable: tableToMarkdown("Organization", [
      {
        "Tenant ID": organization["id"],
        Name: organization["displayName"],
        Country: organization["countryLetterCode"],
        "Default domain": domains.find((domain) => domain.isDefault)?.name,
      },
    ]),
    outputsPrefix: "MicrosoftGraph.Organization",
    outputsKeyField: "id",
    outputs: organization,
    raw: response,
  };
}
