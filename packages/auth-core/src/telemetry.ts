import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

/** The instrumentation scope of every msint span. */
export const TRACER_NAME = "msint";

/**
 * Runs `work` inside an OpenTelemetry span. Without an SDK registered by the application, `@opentelemetry/api`
 * hands out a no-op tracer and this costs a function call. Attributes are the caller's responsibility: only
 * non-secret values (flow, scopes, host, path, status, request id) are ever passed, never a token, a secret or a
 * query string. A failure marks the span as an error with the error's class name only: messages may quote
 * server text.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      const result = await work(span);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.name : "Error",
      });
      span.setAttribute("error.type", error instanceof Error ? error.name : typeof error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
