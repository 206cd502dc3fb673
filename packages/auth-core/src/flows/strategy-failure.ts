import type { IntegrationContext } from "../context.js";

const PERSIST = "persistContext";

/**
 * An error thrown by {@link FlowStrategy.fetchToken} that must still change the stored context: the broker's
 * backoff after a failure, a device code that expired or was declined. The error keeps its class and message
 * (an AuthenticationError stays one); it only carries the context to write before it is rethrown.
 */
export type StrategyFailure<E extends Error = Error> = E & { readonly persistContext: IntegrationContext };

/** Attaches the context to persist to an error and returns the same error object. */
export function withContextToPersist<E extends Error>(
  error: E,
  context: IntegrationContext,
): StrategyFailure<E> {
  Object.defineProperty(error, PERSIST, { value: context, enumerable: false, configurable: true });
  return error as StrategyFailure<E>;
}

/** True when `error` carries a context that the token provider must write before rethrowing it. */
export function isStrategyFailure(error: unknown): error is StrategyFailure {
  return (
    error instanceof Error &&
    typeof (error as Partial<StrategyFailure>).persistContext === "object" &&
    (error as Partial<StrategyFailure>).persistContext !== null
  );
}

/** The context an error asks to persist, if any. */
export function contextToPersist(error: unknown): IntegrationContext | undefined {
  return isStrategyFailure(error) ? error.persistContext : undefined;
}
