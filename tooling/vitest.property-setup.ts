import fc from "fast-check";

// Every property of this run uses the seed chosen in tooling/vitest.shared.ts (printed at the start of the run):
// a failure reports that seed and its path, and MSINT_PROPERTY_SEED=<seed> replays it.
const seed = Number(process.env["MSINT_PROPERTY_SEED_RESOLVED"]);
if (Number.isSafeInteger(seed)) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
