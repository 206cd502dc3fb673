import manifest from "../package.json" with { type: "json" };

/** The version of @msint/integration-kit, inlined at build time (the User-Agent's `msint/<version>`). */
export const KIT_VERSION: string = manifest.version;
