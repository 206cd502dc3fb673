/**
 * The kit's errors share auth-core's root: `MsintError.isInstance` and each class's own `isInstance` recognise
 * them, and what the CLI prints for them (exit code, machine-readable code) is what it was.
 */
import { MsintError, ParameterError } from "@msint/auth-core";
import { describe, expect, it } from "vitest";
import {
  defineIntegration,
  type IntegrationManifest,
  ManifestError,
  parseCommandLine,
  parseXml,
  UsageError,
  XmlError,
} from "../src/index.js";

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("the kit's errors derive from MsintError", () => {
  it("a usage mistake is a UsageError: exit code 2, code usage_error", () => {
    const error = thrown(() => parseCommandLine("msgraph-user-list"));
    expect(UsageError.isInstance(error)).toBe(true);
    expect(MsintError.isInstance(error)).toBe(true);
    expect(ParameterError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ name: "UsageError", exitCode: 2, code: "usage_error" });
    expect((error as Error).message).toContain('starts with "!"');
  });

  it("malformed XML is an XmlError, exit code 1", () => {
    const error = thrown(() => parseXml("<a>&</a>"));
    expect(XmlError.isInstance(error)).toBe(true);
    expect(MsintError.isInstance(error)).toBe(true);
    expect(UsageError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ name: "XmlError", exitCode: 1, code: "invalid_xml" });
  });

  it("a malformed manifest is a ManifestError, exit code 1", () => {
    const error = thrown(() => defineIntegration({ id: "Not A Slug" } as unknown as IntegrationManifest));
    expect(ManifestError.isInstance(error)).toBe(true);
    expect(MsintError.isInstance(error)).toBe(true);
    expect(UsageError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ name: "ManifestError", exitCode: 1, code: "invalid_manifest" });
    expect((error as Error).message).toContain("lower-case slug");
  });
});
