import type { Options } from "tsup";

/** The one build configuration every package spreads: ESM, declarations, source maps, Node 20. */
export const baseConfig: Options = {
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
};
