/** The executable's copy of the token broker (dist/broker.cjs): required by `msint broker start` only. */
export * from "@msint/token-broker";
