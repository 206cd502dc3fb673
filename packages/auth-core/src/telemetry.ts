import type { Attributes, AttributeValue } from "@opentelemetry/api";

/** The instrumentation scope of every msint span. */
export const TRACER_NAME = "msint";

/** OpenTelemetry's span kinds (the values of `SpanKind` in `@opentelemetry/api`). */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** What `work` may do with its span: add attributes (non-secret values only). */
export interface SpanRecorder {
  setAttribute(key: string, value: AttributeValue): unknown;
}

const NO_SPAN: SpanRecorder = { setAttribute: () => undefined };

/**
 * `@opentelemetry/api` 1.x keeps what an application registers (a tracer provider, a context manager) on
 * `globalThis` under this symbol, as `trace` and `context` (its `registerGlobal`). Nothing there means every
 * span would be a no-op, so msint then runs the work without loading the API at all: a command-line run with a
 * cached token does not pay for 27 modules it would not use.
 */
const OTEL_API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

function tracingRegistered(): boolean {
  const registered = (globalThis as Record<symbol, { trace?: unknown; context?: unknown } | undefined>)[
    OTEL_API_GLOBAL
  ];
  return registered?.trace !== undefined || registered?.context !== undefined;
}

/**
 * Runs `work` inside an OpenTelemetry span when the application registered a tracer provider or a context
 * manager; otherwise runs it directly. Attributes are the caller's responsibility: only non-secret values (flow,
 * scopes, host, path, status, request id) are ever passed, never a token, a secret or a query string. A failure
 * marks the span as an error with the error's class name only: messages may quote server text.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: SpanRecorder) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!tracingRegistered()) return work(NO_SPAN);
  const { trace, SpanStatusCode } = await import("@opentelemetry/api");
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
