import { type ApiClient, type CommandContext, UsageError } from "@msint/integration-kit";

// Teams, channels and users addressed by name, as XSOAR's Microsoft Teams does: a team by its display name (or its
// group ID), a channel by its display name within the team (or its ID, `19:…`), a user by principal name, mail,
// object ID or display name.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

/** Every item of a Graph collection, following `@odata.nextLink`. */
export async function allPages<T>(
  api: ApiClient,
  path: string,
  query?: Record<string, string | number>,
): Promise<T[]> {
  const items: T[] = [];
  let page = await api.get<Page<T>>(path, query, { expect: "collection" });
  items.push(...(page?.value ?? []));
  while (page?.["@odata.nextLink"]) {
    page = await api.get<Page<T>>(page["@odata.nextLink"], undefined, { expect: "collection" });
    items.push(...(page?.value ?? []));
  }
  return items;
}

/** The team argument, else the instance's default team (parameter `team`), else a usage error. */
export function teamName(context: CommandContext, argument = "team"): string {
  const given = context.args[argument] || (context.params["team"] as string | undefined);
  if (!given)
    throw new UsageError(
      `Give ${argument}=<team name>, or set the instance's Default team (parameter team) to the team's name.`,
    );
  return given;
}

/** A team's group ID from its name (GET /v1.0/teams, learn.microsoft.com/graph/api/teams-list), or the ID itself. */
export async function teamId(api: ApiClient, team: string): Promise<string> {
  if (GUID.test(team)) return team;
  const teams = await allPages<{ id: string; displayName?: string }>(api, "/v1.0/teams", {
    $select: "id,displayName",
  });
  const found = teams.find((entry) => entry.displayName?.toLowerCase() === team.toLowerCase());
  if (!found) {
    const names = teams.map((entry) => entry.displayName).filter(Boolean);
    throw new UsageError(
      `No team named "${team}". ${names.length ? `Teams: ${names.join(", ")}.` : "The app sees no team."}`,
    );
  }
  return found.id;
}

/**
 * A channel's ID from its name within a team (GET /v1.0/teams/{id}/channels, learn.microsoft.com/graph/api/
 * channel-list), or the ID itself (`19:…@thread.tacv2`).
 */
export async function channelId(api: ApiClient, team: string, channel: string): Promise<string> {
  if (channel.startsWith("19:")) return channel;
  const channels = await allPages<{ id: string; displayName?: string }>(
    api,
    `/v1.0/teams/${encodeURIComponent(team)}/channels`,
  );
  const found = channels.find((entry) => entry.displayName?.toLowerCase() === channel.toLowerCase());
  if (!found) {
    throw new UsageError(
      `The team has no channel named "${channel}". Channels: ${channels.map((entry) => entry.displayName).join(", ")}.`,
    );
  }
  return found.id;
}

export interface GraphUser {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
}

/**
 * A user by object ID (used as is), principal name or mail (GET /v1.0/users/{id | userPrincipalName}, learn.microsoft.com/graph/
 * api/user-get), or by display name (GET /v1.0/users?$filter=displayName eq '…', user-list).
 */
export async function findUser(api: ApiClient, user: string): Promise<GraphUser> {
  // An object ID is what every call takes: no lookup.
  if (GUID.test(user)) return { id: user.toLowerCase() };
  if (user.includes("@")) {
    return api.get<GraphUser>(`/v1.0/users/${encodeURIComponent(user)}`, {
      $select: "id,displayName,userPrincipalName,mail",
    });
  }
  const found = await api.get<Page<GraphUser>>(
    "/v1.0/users",
    {
      $filter: `displayName eq '${user.replace(/'/g, "''")}'`,
      $select: "id,displayName,userPrincipalName,mail",
    },
    { expect: "collection" },
  );
  const first = found?.value?.[0];
  if (!first) throw new UsageError(`No user named "${user}": give their principal name or mail.`);
  return first;
}
