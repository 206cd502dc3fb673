import type { RouteCall } from "../router.js";

/** `GET /healthz`: `{"status":"ok"}` while the broker serves requests. */
export function health({ context, response }: RouteCall): void {
  context.http.json(response, 200, { status: "ok" });
}
