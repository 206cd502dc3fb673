import type { Options } from "tsup";

/**
 * The one build configuration every package spreads: ES modules and CommonJS side by side (`index.js` and
 * `index.cjs`, with `index.d.ts` and `index.d.cts`), so `import` and `require()` both work on Node ≥ 20.19;
 * declarations, source maps, Node 20.
 */
export const baseConfig: Options = {
  format: ["esm", "cjs"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  // esbuild's own tree shaking only: tsup's `treeshake` runs rollup, whose CommonJS output turns a package whose
  // only export is `export default` into `module.exports = x` while its .d.cts says `export default` (attw
  // FalseExportDefault; `require(pkg).default` would be undefined).
  treeshake: false,
};
