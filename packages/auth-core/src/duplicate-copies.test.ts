/**
 * Two installed copies of @msint/auth-core in one process (an integration package bringing its own copy next to
 * the CLI's): errors made by one copy are recognised by the other's `isInstance`, and the process-wide state
 * (redactor, logger, command formatter) is one. The two copies are the built package's ES module and CommonJS
 * builds (each "." and "./internal"), loaded by a real `node` child process: separate code, separate classes, as
 * with two copies on disk.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ApiError, MsintError, ParameterError, TransportError } from "./errors.js";
import { StoreError } from "./store/errors.js";
import { TokenRequestAbortedError } from "./strategy.js";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

// Runs in the child: copy A is the ES module build, copy B the CommonJS one.
const CHILD = `
import { createRequire } from "node:module";
const [esm, esmInternal, cjs, cjsInternal] = process.argv.slice(-4);
const A = { ...(await import(esmInternal)), ...(await import(esm)) };
const require = createRequire(import.meta.url);
const B = { ...require(cjsInternal), ...require(cjs) };
const secret = "Zq8-copy-a-only-" + process.pid;
A.getRedactor().add(secret);
const fromA = new A.ParameterError("bad value", "Server URL");
const storeA = new A.StoreError("locked", "busy");
const plain = new Error("plain");
const outcome = {
  distinctClasses: A.MsintError !== B.MsintError && !(fromA instanceof B.MsintError),
  bSeesParameterError: B.ParameterError.isInstance(fromA),
  bSeesMsintError: B.MsintError.isInstance(fromA),
  bSeesTransportError: B.TransportError.isInstance(fromA),
  bSeesStoreError: B.StoreError.isInstance(storeA),
  bSeesStoreAsMsint: B.MsintError.isInstance(storeA),
  bSeesPlainError: B.MsintError.isInstance(plain),
  maskedByB: B.getRedactor().redact("token=" + secret),
  sameRedactor: A.getRedactor() === B.getRedactor(),
  sameLogger: A.getLogger() === B.getLogger(),
  formatterAcross: A.withCommandFormatter((command) => "msint run " + command, () => B.formatCommand("x-auth-reset")),
};
process.stdout.write(JSON.stringify(outcome));
`;

describe("two copies of @msint/auth-core in one process", () => {
  it("recognise each other's errors and share the redactor, logger and command formatter", () => {
    const files = ["index.js", "internal.js", "index.cjs", "internal.cjs"].map((name) => join(dist, name));
    expect(
      files.every((file) => existsSync(file)),
      "build the package first (pnpm turbo run build)",
    ).toBe(true);
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD, "--", ...files], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    const outcome = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(outcome).toEqual({
      distinctClasses: true,
      bSeesParameterError: true,
      bSeesMsintError: true,
      bSeesTransportError: false,
      bSeesStoreError: true,
      bSeesStoreAsMsint: true,
      bSeesPlainError: false,
      maskedByB: "token=[REDACTED]",
      sameRedactor: true,
      sameLogger: true,
      formatterAcross: "msint run x-auth-reset",
    });
  });
});

describe("isInstance", () => {
  it("tells the kinds apart and accepts subclasses", () => {
    const parameter = new ParameterError("bad", "Server URL");
    expect(MsintError.isInstance(parameter)).toBe(true);
    expect(ParameterError.isInstance(parameter)).toBe(true);
    expect(TransportError.isInstance(parameter)).toBe(false);
    expect(ApiError.isInstance(new TransportError("down", "dns"))).toBe(false);
    expect(MsintError.isInstance(new StoreError("io", "disk"))).toBe(true);
    expect(MsintError.isInstance(new TokenRequestAbortedError())).toBe(true);
    expect(TokenRequestAbortedError.isInstance(new MsintError("other"))).toBe(false);
  });

  it("refuses what is not an msint error, whatever its name or code", () => {
    const lookalike = Object.assign(new Error("x"), { name: "ParameterError", code: "invalid_parameter" });
    for (const value of [lookalike, new Error("x"), "ParameterError", null, undefined, 42, {}]) {
      expect(MsintError.isInstance(value)).toBe(false);
      expect(ParameterError.isInstance(value)).toBe(false);
    }
  });

  it("falls back to instanceof for a subclass without a brand of its own", () => {
    class LocalError extends MsintError {}
    expect(LocalError.isInstance(new LocalError("mine"))).toBe(true);
    expect(LocalError.isInstance(new MsintError("base"))).toBe(false);
    expect(MsintError.isInstance(new LocalError("mine"))).toBe(true);
  });
});
