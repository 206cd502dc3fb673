// `pnpm start`: builds the msint executable, then runs `msint demo`. The executable is one esbuild bundle made
// from the workspace's TypeScript sources (packages/cli/tsup.config.ts), so nothing else needs building first.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "cli");
const started = Date.now();
process.stderr.write("msint start: building the msint executable from the sources (packages/cli/dist)…\n");
for (const file of ["msint.cjs", "cli.cjs", "emulator.cjs"]) rmSync(join(cli, "dist", file), { force: true });
const build = spawnSync(process.platform === "win32" ? "pnpm.cmd" : "pnpm", ["exec", "tsup"], {
  cwd: cli,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, MSINT_EXECUTABLE_ONLY: "1" },
});
if (build.status !== 0) {
  process.stderr.write("msint start: the build failed (see above).\n");
  process.exit(build.status ?? 1);
}
process.stderr.write(
  `msint start: built in ${((Date.now() - started) / 1000).toFixed(1)} s; running msint demo.\n` +
    "(pnpm build builds every package with its type declarations; pnpm msint … runs the CLI.)\n\n",
);
const demo = spawnSync(process.execPath, [join(cli, "dist", "msint.cjs"), "demo"], { stdio: "inherit" });
process.exit(demo.status ?? 1);
