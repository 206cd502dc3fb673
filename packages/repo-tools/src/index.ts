/** @msint/repo-tools: the supported-flows table and integration references, generated and checked. */
export * from "./flows.js";
export { renderReference } from "./reference.js";
export * from "./workspace.js";
export * from "./xsoar.js";
export * from "./xsoar-workspace.js";
