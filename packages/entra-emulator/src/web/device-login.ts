import { flowErrors } from "../aadsts-flows.js";
import { isFormContentType, type Reply } from "../http.js";
import { advance, type PageContext } from "./interaction.js";
import { deviceCodePage, errorText } from "./pages.js";

/**
 * `GET /devicelogin`: the code entry page. `POST /devicelogin` (field `otc`): a known, pending, unexpired code
 * starts the sign-in (then consent when needed, then "You have signed in …").
 */
export function handleDeviceLogin(context: PageContext): Reply {
  const { state, request } = context;
  if (request.method !== "POST") return deviceCodePage({});
  const form = isFormContentType(request.headers["content-type"])
    ? new URLSearchParams(request.body.toString("utf8"))
    : new URLSearchParams();
  const record = state.store.deviceByUserCode(form.get("otc") ?? "");
  if (!record) {
    return deviceCodePage({
      error: `${errorText(flowErrors.badVerificationCode())} That code didn't work. Check the code and try again.`,
    });
  }
  if (state.now() > record.expiresAt) {
    return deviceCodePage({
      error:
        `${errorText(flowErrors.deviceCodeExpired())} The code you entered has expired. Get a new code from the ` +
        "device you're trying to sign in to and try again.",
    });
  }
  if (record.status !== "pending") {
    return deviceCodePage({
      error: `${errorText(flowErrors.deviceCodeRedeemed())} Get a new code from the device.`,
    });
  }
  const flow = state.store.addInteraction({
    kind: "device",
    tenantSegment: record.tenantSegment,
    ...(record.tenantId ? { tenantId: record.tenantId } : {}),
    clientId: record.clientId,
    scopes: record.scopes,
    userCode: record.userCode,
  });
  return advance(context, flow);
}
