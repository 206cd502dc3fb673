import { shortId } from "../context.js";
import { ProtocolError, readBody } from "../http.js";
import {
  addressPenalty,
  openToken,
  refuseBlockedAddress,
  registeredApp,
  registrationPenalty,
  takeRate,
} from "../obtain-token/checks.js";
import { issueToken } from "../obtain-token/issue.js";
import { parseObtainRequest } from "../obtain-token/request.js";
import { resolveScope } from "../obtain-token/scope.js";
import type { RouteCall } from "../router.js";

/** What the log line of a request says about the registration, once it is known. */
interface Named {
  registration?: string;
  app?: string;
}

/**
 * `POST /obtain-token`: an integration's request for an access token. Errors are answered as JSON
 * `{ error, message }` (see {@link ProtocolError}); every request gets one log line, never with a secret.
 */
export async function obtainTokenRoute(call: RouteCall): Promise<void> {
  const { context, response, client, started } = call;
  const from = { client: client.address, ...(client.problem ? { clientProblem: client.problem } : {}) };
  const named: Named = {};
  try {
    await obtainToken(call, named);
    context.logger.info("obtain-token", {
      status: 200,
      outcome: "issued",
      ...named,
      ...from,
      ms: context.now() - started,
    });
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    context.http.protocolError(response, error);
    context.logger.info("obtain-token", {
      status: error.status,
      outcome: error.error,
      ...named,
      ...from,
      ms: context.now() - started,
    });
  }
}

/** Checks the request, gets the token from Microsoft and answers it. @throws ProtocolError */
async function obtainToken({ context, request, response, client }: RouteCall, named: Named): Promise<void> {
  await refuseBlockedAddress(context, client.address);
  const failed = addressPenalty(context, client.address);
  const body = parseObtainRequest(await readBody(request));
  const registration = await context.store.find(body.registrationId);
  if (!registration) {
    throw await failed(
      new ProtocolError(
        404,
        "unknown_registration",
        "No registration has this ID: check ID against what the broker's page gave, or run Start Authorization Process again.",
      ),
    );
  }
  named.registration = shortId(registration.id);
  named.app = registration.appName;
  const strikeKey = `${registration.id}|${client.address}`;
  const failedFor = await registrationPenalty(context, strikeKey, failed);
  const app = await registeredApp(context, registration, body.appName, failedFor);
  const content = await openToken(context, registration, body.encryptedToken, failedFor);
  await takeRate(context, registration, app);
  const token = app.permissions === "application" ? content.trim().toLowerCase() : content;
  const scope = resolveScope(context.config, app, body.scope, body.resource);
  const result = await issueToken(context, { app, registration, token, scope }, failedFor);
  await context.limits.strikes.succeed(strikeKey);
  context.http.json(response, 200, {
    access_token: result.accessToken,
    expires_in: result.expiresIn,
    ...(result.refreshToken && app.permissions === "delegated" ? { refresh_token: result.refreshToken } : {}),
  });
}
