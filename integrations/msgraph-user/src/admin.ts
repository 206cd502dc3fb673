import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandContext, CommandResult } from "@msint/integration-kit";
import { tableToMarkdown, UsageError } from "@msint/integration-kit";
import { type GraphUser, getUser, headersFor, toAccount, toContextUser } from "./users.js";
import { encryptedZip } from "./zip.js";

// The Graph calls, as learn.microsoft.com/graph/api documents them: user-update (PATCH /users/{id}), user-delete
// (DELETE /users/{id}), user-post-users (POST /users), user-list-directreports (GET /users/{id}/directReports),
// user-list-manager (GET /users/{id}/manager), user-post-manager (PUT /users/{id}/manager/$ref with @odata.id),
// user-revokesigninsessions (POST /users/{id}/revokeSignInSessions), authentication-list-methods (GET
// /users/{id}/authentication/methods), and the temporaryAccessPassMethods list, create and delete.

const userPath = (user: string) => `/v1.0/users/${encodeURIComponent(user)}`;

type UserArgs = CommandContext<{ user: string }>;

async function patchUser(
  context: CommandContext,
  user: string,
  body: Record<string, unknown>,
): Promise<void> {
  await context.api.request({ method: "PATCH", path: userPath(user), body });
}

/** `msgraph-user-account-disable`: PATCH accountEnabled false. */
export async function disableAccount(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  await patchUser(context, user, { accountEnabled: false });
  return { readable: `user: "${user}" account has been disabled successfully.` };
}

/** `msgraph-user-unblock`: PATCH accountEnabled true. */
export async function unblockAccount(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  await patchUser(context, user, { accountEnabled: true });
  return {
    readable: `"${user}" unblocked. It might take several minutes for the changes to take effect across all applications.`,
  };
}

/** `field=value` pairs split on `delimiter`; "true"/"false" of accountEnabled become booleans, as Graph types it. */
function fieldsOf(text: string, delimiter: string, argument: string): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.create(null);
  for (const pair of text.split(delimiter)) {
    if (!pair.trim()) continue;
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`${argument} takes field=value pairs (got "${pair}").`);
    const field = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1);
    fields[field] =
      field === "accountEnabled" && /^(true|false)$/i.test(value) ? /^true$/i.test(value) : value;
  }
  return fields;
}

/** `msgraph-user-update`: PATCH the given fields, then read the user back as msgraph-user-get does. */
export async function updateUser(
  context: CommandContext<{ user: string; updated_fields: string; updated_fields_delimiter: string }>,
): Promise<CommandResult> {
  const { user, updated_fields: updated, updated_fields_delimiter: delimiter } = context.args;
  await patchUser(context, user, fieldsOf(updated, delimiter || ",", "updated_fields"));
  return getUser({ ...context, args: { user } });
}

/** `msgraph-user-delete`: DELETE /users/{id}. */
export async function deleteUser(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  await context.api.request({ method: "DELETE", path: userPath(user) });
  return { readable: `user: "${user}" was deleted successfully.` };
}

/** `msgraph-user-create`: POST /users with the required properties and `other_properties`. */
export async function createUser(
  context: CommandContext<{
    account_enabled: string;
    display_name: string;
    mail_nickname: string;
    password: string;
    user_principal_name: string;
  }>,
): Promise<CommandResult> {
  const { args } = context;
  const body: Record<string, unknown> = {
    accountEnabled: args.account_enabled !== "false",
    displayName: args.display_name,
    mailNickname: args.mail_nickname,
    passwordProfile: { forceChangePasswordNextSignIn: true, password: args.password },
    userPrincipalName: args.user_principal_name,
    ...(args["on_premises_immutable_id"] ? { onPremisesImmutableId: args["on_premises_immutable_id"] } : {}),
    ...(args["other_properties"] ? fieldsOf(args["other_properties"], ",", "other_properties") : {}),
  };
  const created = await context.api.request<GraphUser>({ method: "POST", path: "/v1.0/users", body });
  const entry = toContextUser(created ?? {});
  return {
    readable: tableToMarkdown(
      `${args.user_principal_name} was created successfully:`,
      [entry],
      headersFor([entry]),
    ),
    outputsPrefix: "MSGraphUser",
    outputsKeyField: "ID",
    outputs: entry,
    additionalOutputs: { Account: toAccount(entry) },
    raw: created,
  };
}

/** `msgraph-direct-reports`: GET /users/{id}/directReports. */
export async function directReports(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  const page = await context.api.get<{ value?: GraphUser[] }>(`${userPath(user)}/directReports`, undefined, {
    expect: "collection",
  });
  const reports = (page?.value ?? []).map((report) => ({
    "@Odata.Type": report["@odata.type"],
    ...toContextUser(report),
  }));
  return {
    readable: tableToMarkdown(
      `${user} - direct reports`,
      reports,
      reports.length ? headersFor(reports) : undefined,
    ),
    outputsPrefix: "MSGraphUserDirectReports",
    outputsKeyField: "Manager",
    outputs: { Manager: user, Reports: reports },
    raw: page,
  };
}

/** `msgraph-user-get-manager`: GET /users/{id}/manager. */
export async function getManager(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  const manager = await context.api.get<GraphUser>(`${userPath(user)}/manager`);
  const entry = toContextUser(manager ?? {});
  return {
    readable: tableToMarkdown(`${user} - manager`, [entry], headersFor([entry])),
    outputsPrefix: "MSGraphUserManager",
    outputsKeyField: "ID",
    // XSOAR's yml documents MSGraphUserManager.ID, its code writes User: both name the user asked about.
    outputs: { ID: user, User: user, Manager: entry },
    raw: manager,
  };
}

/** `msgraph-user-assign-manager`: PUT /users/{id}/manager/$ref. */
export async function assignManager(
  context: CommandContext<{ user: string; manager: string }>,
): Promise<CommandResult> {
  const { user, manager } = context.args;
  await context.api.request({
    method: "PUT",
    path: `${userPath(user)}/manager/$ref`,
    body: { "@odata.id": `${context.api.baseUrl}/v1.0/users/${encodeURIComponent(manager)}` },
  });
  return {
    readable: `A manager was assigned to user "${user}". It might take several minutes for the changes to take affect across all applications.`,
  };
}

/** `msgraph-user-change-password`: PATCH passwordProfile (user-update, "Update the passwordProfile of a user"). */
export async function changePassword(
  context: CommandContext<{
    user: string;
    password: string;
    force_change_password_next_sign_in: string;
    force_change_password_with_mfa: string;
  }>,
): Promise<CommandResult> {
  const { args } = context;
  await patchUser(context, args.user, {
    passwordProfile: {
      forceChangePasswordNextSignIn: args.force_change_password_next_sign_in === "true",
      forceChangePasswordNextSignInWithMfa: args.force_change_password_with_mfa === "true",
      password: args.password,
    },
  });
  return { readable: `User ${args.user} password was changed successfully.` };
}

/**
 * `msgraph-user-change-password-on-premise`: the user's password method (GET .../passwordMethods, one per user),
 * then POST .../methods/{id}/resetPassword {newPassword} (authenticationmethod-resetpassword), which writes the
 * password back to on-premises AD through Entra password writeback. Delegated only: Microsoft offers no application
 * permission for it.
 */
export async function changePasswordOnPremise(context: UserArgs): Promise<CommandResult> {
  const { user, password: sensitive, nonsensitive_password: plain } = context.args;
  if (!sensitive && !plain) {
    throw new UsageError("Give the new password as password (or nonsensitive_password).");
  }
  if (sensitive && plain && sensitive !== plain) {
    throw new UsageError(
      "password and nonsensitive_password differ: give one of them, or the same value in both.",
    );
  }
  const methods = await context.api.get<{ value?: Array<{ id?: string }> }>(
    `${userPath(user)}/authentication/passwordMethods`,
    undefined,
    { expect: "collection" },
  );
  const methodId = methods?.value?.[0]?.id;
  if (!methodId) throw new Error(`Graph returned no password method for ${user}.`);
  await context.api.request({
    method: "POST",
    path: `${userPath(user)}/authentication/methods/${encodeURIComponent(methodId)}/resetPassword`,
    body: { newPassword: sensitive || plain },
  });
  return { readable: `The password of user ${user} has been changed successfully.` };
}

/** `msgraph-user-session-revoke`: POST /users/{id}/revokeSignInSessions. */
export async function revokeSessions(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  await context.api.request({ method: "POST", path: `${userPath(user)}/revokeSignInSessions` });
  return { readable: `User: "${user}" sessions have been revoked successfully.` };
}

/** `msgraph-user-auth-methods-list`: GET /users/{id}/authentication/methods. */
export async function listAuthMethods(context: UserArgs): Promise<CommandResult> {
  const user = context.args["user"];
  const page = await context.api.get<{ value?: GraphUser[] }>(
    `${userPath(user)}/authentication/methods`,
    undefined,
    { expect: "collection" },
  );
  const methods = page?.value ?? [];
  // MFA capable: any method beside the password, as XSOAR decides it.
  const isMfaCapable = methods.some(
    (method) => method["@odata.type"] !== "#microsoft.graph.passwordAuthenticationMethod",
  );
  const entries = methods.map((method) => ({
    "@Odata.Type": method["@odata.type"],
    ...toContextUser(method),
  }));
  return {
    readable: `${tableToMarkdown(`Authentication Methods for ${user}`, entries)}\n**MFA Capable:** ${isMfaCapable}\n`,
    outputsPrefix: "MSGraphUser.AuthMethod",
    outputsKeyField: "ID",
    outputs: entries,
    additionalOutputs: { "MSGraphUser.MFAStatus": { User: user, IsMfaCapable: isMfaCapable } },
    raw: page,
  };
}

const tapPath = (userId: string) => `${userPath(userId)}/authentication/temporaryAccessPassMethods`;
const TAP_HEADERS = [
  "ID",
  "StartDateTime",
  "LifetimeInMinutes",
  "IsUsableOnce",
  "IsUsable",
  "MethodUsabilityReason",
];

/** A pass without its secret: XSOAR keeps `temporaryAccessPass` out of the context. */
function tapEntry(tap: GraphUser): Record<string, unknown> {
  const { temporaryAccessPass: _secret, ...rest } = tap;
  return toContextUser(rest);
}

/** `msgraph-user-tap-policy-list`: GET .../temporaryAccessPassMethods (a user has at most one). */
export async function listTap(context: CommandContext<{ user_id: string }>): Promise<CommandResult> {
  const userId = context.args["user_id"];
  const page = await context.api.get<{ value?: GraphUser[] }>(tapPath(userId), undefined, {
    expect: "collection",
  });
  const tap = page?.value?.[0];
  if (!tap) return { readable: `Failed to get TAP policy for the user ${userId}.`, raw: page };
  const entry = tapEntry(tap);
  return {
    readable: tableToMarkdown(`TAP Policy for User ID ${userId}:`, [entry], TAP_HEADERS),
    outputsPrefix: "MSGraphUser.TAPPolicy",
    outputsKeyField: "ID",
    outputs: entry,
  };
}

/** `start_time`: "now" or an ISO 8601 date-time, sent as Graph's `yyyy-MM-ddTHH:mm:ss.000Z`. */
function startTime(text: string): string {
  const when = text.trim().toLowerCase() === "now" ? new Date() : new Date(text);
  if (Number.isNaN(when.getTime())) {
    throw new UsageError(`start_time must be "now" or an ISO 8601 date-time (got "${text}").`);
  }
  return `${when.toISOString().slice(0, 19)}.000Z`;
}

/**
 * `msgraph-user-tap-policy-create`: POST .../temporaryAccessPassMethods. The pass goes only into a password-protected
 * ZIP file (TAPPolicyPass.txt inside), never into the outputs.
 */
export async function createTap(
  context: CommandContext<{
    user_id: string;
    zip_password: string;
    lifetime_in_minutes: string;
    is_usable_once: string;
    start_time: string;
  }>,
): Promise<CommandResult> {
  const { args } = context;
  const lifetime = Number(args.lifetime_in_minutes);
  if (!Number.isInteger(lifetime) || lifetime < 1) {
    throw new UsageError(
      `lifetime_in_minutes must be a whole number of minutes (got "${args.lifetime_in_minutes}").`,
    );
  }
  if (!args.zip_password) throw new UsageError("zip_password must not be empty.");
  const body = {
    lifetimeInMinutes: lifetime,
    isUsableOnce: args.is_usable_once === "true",
    startDateTime: startTime(args.start_time),
  };
  const created = await context.api.request<GraphUser>({ method: "POST", path: tapPath(args.user_id), body });
  if (!created) return { readable: `Failed to create TAP policy for user: ${args.user_id}.` };
  const file = resolve(args["output_file"] || "TAPPolicyInfo.zip");
  writeFileSync(
    file,
    encryptedZip("TAPPolicyPass.txt", String(created["temporaryAccessPass"] ?? ""), args.zip_password),
    {
      mode: 0o600,
    },
  );
  const entry = tapEntry(created);
  delete entry["@odata.context"];
  return {
    readable: `Temporary Access Pass Authentication methods policy for user: ${args.user_id} was successfully created.\nThe pass is in ${file} (TAPPolicyPass.txt, encrypted with zip_password).\n`,
    outputsPrefix: "MSGraphUser.TAPPolicy",
    outputsKeyField: "ID",
    outputs: entry,
  };
}

/** `msgraph-user-tap-policy-delete`: DELETE .../temporaryAccessPassMethods/{id}. */
export async function deleteTap(
  context: CommandContext<{ user_id: string; policy_id: string }>,
): Promise<CommandResult> {
  const { user_id: userId, policy_id: policyId } = context.args;
  await context.api.request({ method: "DELETE", path: `${tapPath(userId)}/${encodeURIComponent(policyId)}` });
  return {
    readable: `Temporary Access Pass Authentication methods policy ${policyId} was successfully deleted.`,
  };
}
