import type { CommandContext, CommandResult } from "@msint/integration-kit";
import { tableToMarkdown, UsageError } from "@msint/integration-kit";

/** Graph user fields read by default, as the XSOAR integration does. */
export const DEFAULT_PROPERTIES = [
  "id",
  "displayName",
  "givenName",
  "surname",
  "userPrincipalName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "accountEnabled",
] as const;

export interface GraphUser {
  id?: string;
  [field: string]: unknown;
}

interface GraphUserPage {
  value?: GraphUser[];
  "@odata.nextLink"?: string;
}

/** Graph's camelCase fields as the context's PascalCase keys (`id` → `ID`). */
export function toContextUser(user: GraphUser): Record<string, unknown> {
  // Field names come from the server: no prototype, so "__proto__" is a field like any other.
  const entry: Record<string, unknown> = Object.create(null);
  for (const [field, value] of Object.entries(user)) {
    if (field.startsWith("@odata")) continue;
    const key = field === "id" ? "ID" : field.charAt(0).toUpperCase() + field.slice(1);
    entry[key] = value;
  }
  return entry;
}

/** XSOAR's standard `Account` context entry for a user (from its MSGraphUser entry). */
export function toAccount(user: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: "Azure AD",
    DisplayName: user["DisplayName"],
    Username: user["UserPrincipalName"],
    JobTitle: user["JobTitle"],
    Email: { Address: user["Mail"] },
    TelephoneNumber: user["MobilePhone"],
    ID: user["ID"],
    Office: user["OfficeLocation"],
  };
}

function selectedProperties(properties: string | undefined): string {
  if (!properties) return DEFAULT_PROPERTIES.join(",");
  const list = properties
    .split(",")
    .map((property) => property.trim())
    .filter(Boolean);
  if (!list.includes("id")) list.unshift("id");
  return list.join(",");
}

export function headersFor(users: Record<string, unknown>[]): string[] {
  const preferred = ["DisplayName", "UserPrincipalName", "Mail", "JobTitle", "AccountEnabled", "ID"];
  const present = new Set(users.flatMap((user) => Object.keys(user)));
  const ordered = preferred.filter((key) => present.has(key));
  for (const key of present) if (!ordered.includes(key)) ordered.push(key);
  return ordered;
}

/** `msgraph-user-list`: GET /v1.0/users, one page at a time with `next_page`. */
export async function listUsers({ api, args, formatCommand }: CommandContext): Promise<CommandResult> {
  const limit = args["limit"] ? Number(args["limit"]) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 999) {
    throw new UsageError(`limit must be a whole number from 1 to 999 (got "${args["limit"]}").`);
  }
  const page = args["next_page"]
    ? await api.get<GraphUserPage>(args["next_page"], undefined, { expect: "collection" })
    : await api.get<GraphUserPage>(
        "/v1.0/users",
        {
          $select: selectedProperties(args["properties"]),
          $top: limit,
          $filter: args["filter"],
        },
        { expect: "collection" },
      );
  const users = (page?.value ?? []).map(toContextUser);
  const nextLink = page?.["@odata.nextLink"];
  let readable = tableToMarkdown("All Graph Users", users, users.length ? headersFor(users) : undefined);
  // The whole command as the reader types it: a War Room's quoting differs from a shell's, where a double-quoted
  // link would lose its $select and $top to parameter expansion.
  if (nextLink) readable += `\nMore users: ${formatCommand("msgraph-user-list", { next_page: nextLink })}\n`;
  const accounts = users.map(toAccount);
  return {
    readable,
    outputsPrefix: "MSGraphUser",
    outputsKeyField: "ID",
    // As XSOAR: the next-page link is an entry of its own (MSGraphUser.NextPage) before the users.
    outputs: nextLink ? [{ NextPage: nextLink }, ...users] : users,
    additionalOutputs: { Account: accounts },
    raw: page,
  };
}

/** `msgraph-user-get`: GET /v1.0/users/{id or userPrincipalName}. */
export async function getUser({ api, args }: CommandContext<{ user: string }>): Promise<CommandResult> {
  const userId = args["user"];
  const user = await api.get<GraphUser>(`/v1.0/users/${encodeURIComponent(userId)}`, {
    $select: selectedProperties(args["properties"]),
  });
  const entry = toContextUser(user);
  return {
    readable: tableToMarkdown(`${userId} data`, [entry], headersFor([entry])),
    outputsPrefix: "MSGraphUser",
    outputsKeyField: "ID",
    outputs: entry,
    additionalOutputs: { Account: toAccount(entry) },
    raw: user,
  };
}
