import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

// A CommonJS program (`node -e` is CommonJS) requires the packages as an application would: through their
// package.json `exports`, `require` condition. The child's cwd is this package, whose node_modules hold them.
describe("CommonJS", () => {
  it.each([
    ["@msint/auth-core", "TokenProvider"],
    ["@msint/integration-kit", "connect"],
    ["@msint/entra-emulator", "startEmulator"],
  ])("require('%s') loads the CommonJS build with its exports", async (name, exported) => {
    const script = `const m = require(${JSON.stringify(name)}); const path = require.resolve(${JSON.stringify(name)}); console.log(JSON.stringify({ path, type: typeof m[${JSON.stringify(exported)}] }));`;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: here });
    const answer = JSON.parse(stdout) as { path: string; type: string };
    expect(answer.path).toMatch(/dist[\\/]index\.cjs$/);
    expect(answer.type).toBe("function");
  });

  it("resolves the same package to its ES module build from import", async () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve("@msint/auth-core")).toMatch(/index\.cjs$/);
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", 'console.log(import.meta.resolve("@msint/auth-core"))'],
      { cwd: here },
    );
    expect(stdout.trim()).toMatch(/dist\/index\.js$/);
  });
});
