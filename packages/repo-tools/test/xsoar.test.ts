import { describe, expect, it } from "vitest";
import {
  baselineOf,
  compareIntegration,
  compareWithBaseline,
  describeDrift,
  type MsintSummary,
  renderParityDocs,
  type XsoarTable,
} from "../src/index.js";

// A small table in the shape of data/xsoar/<id>.json (fixture names, not a real integration).
const TABLE: XsoarTable = {
  id: "sample-users",
  xsoar: {
    name: "Sample Users",
    pack: "SampleUsers",
    sources: [
      "Packs/SampleUsers/Integrations/SampleUsers/SampleUsers.yml",
      "Packs/SampleUsers/Integrations/SampleUsers/SampleUsers.py",
    ],
    appName: "ms-sample-users",
    builtInClientId: null,
    brokerResource: null,
  },
  commands: [
    {
      name: "sample-user-get",
      deprecated: false,
      arguments: [
        { name: "user", required: true, default: null, predefined: [] },
        { name: "properties", required: false, default: null, predefined: [] },
        { name: "old_filter", required: false, default: null, predefined: [], deprecated: true },
      ],
      outputs: ["SampleUser.ID"],
    },
    { name: "sample-user-list", deprecated: false, arguments: [], outputs: [] },
    { name: "sample-user-delete", deprecated: false, arguments: [], outputs: [] },
    { name: "sample-user-terminate", deprecated: true, arguments: [], outputs: [] },
  ],
};

function manifest(overrides: Partial<MsintSummary> = {}): MsintSummary {
  return {
    id: "sample-users",
    displayName: "Sample Users",
    xsoarApp: "yes",
    appName: "ms-sample-users",
    commands: [
      { name: "sample-user-get", arguments: ["user", "properties"] },
      { name: "sample-user-list", arguments: [] },
      { name: "sample-user-delete", arguments: [] },
    ],
    ...overrides,
  };
}

describe("compareIntegration", () => {
  it("counts coverage over XSOAR's non-deprecated commands and finds no difference when names and arguments agree", () => {
    const report = compareIntegration(manifest(), TABLE);
    expect(report.coverage).toEqual({ present: 3, total: 3, percent: 100 });
    expect(report.differences).toEqual([]);
    expect(report.msintOnly).toEqual([]);
  });

  it("reports missing commands, msint-only commands and argument names missing on either side", () => {
    const report = compareIntegration(
      manifest({
        commands: [
          { name: "sample-user-get", arguments: ["user", "select"] },
          { name: "sample-user-list", arguments: [] },
          { name: "sample-user-export", arguments: [] },
        ],
      }),
      TABLE,
    );
    expect(report.coverage).toEqual({ present: 2, total: 3, percent: 66.7 });
    expect(report.msintOnly.map((command) => command.name)).toEqual(["sample-user-export"]);
    // The deprecated XSOAR argument old_filter and the deprecated command are not asked for.
    expect(report.differences).toEqual([
      "command sample-user-delete: not yet in msint",
      "command sample-user-export: msint only",
      "sample-user-get: XSOAR argument properties is not in msint",
      "sample-user-get: argument select is not in XSOAR",
    ]);
  });

  it("pairs a command through its xsoarName", () => {
    const report = compareIntegration(
      manifest({
        commands: [
          { name: "sample-users-get", xsoarName: "sample-user-get", arguments: ["user", "properties"] },
          { name: "sample-user-list", arguments: [] },
          { name: "sample-user-delete", arguments: [] },
        ],
      }),
      TABLE,
    );
    expect(report.pairs[0]?.msint?.name).toBe("sample-users-get");
    expect(report.differences).toEqual([]);
  });

  it("compares the broker app name only where flows.xsoarApp is yes", () => {
    const renamed = manifest({ appName: "sample-users" });
    expect(compareIntegration(renamed, TABLE).differences).toEqual([
      "app name: msint sends sample-users, XSOAR ms-sample-users",
    ]);
    expect(compareIntegration({ ...renamed, xsoarApp: "device" }, TABLE).differences).toEqual([]);
    expect(compareIntegration({ ...renamed, xsoarApp: false }, TABLE).differences).toEqual([]);
  });

  it("does not compare an integration whose table has no XSOAR integration", () => {
    const report = compareIntegration(manifest(), {
      id: "sample-users",
      xsoar: null,
      reason: "Not found.",
      commands: [],
    });
    expect(report.coverage).toBeNull();
    expect(report.differences).toEqual([]);
  });
});

describe("the baseline", () => {
  const withGap = () =>
    compareIntegration(
      manifest({
        commands: [
          { name: "sample-user-get", arguments: ["user", "properties"] },
          { name: "sample-user-list", arguments: [] },
        ],
      }),
      TABLE,
    );

  it("passes when the differences are exactly the baseline's", () => {
    const reports = [withGap()];
    expect(compareWithBaseline(reports, baselineOf(reports))).toEqual({ added: [], removed: [] });
  });

  it("fails on a new mismatch that the baseline does not list, naming it", () => {
    const baseline = baselineOf([withGap()]);
    const regressed = compareIntegration(
      manifest({
        commands: [
          { name: "sample-user-get", arguments: ["user"] },
          { name: "sample-user-list", arguments: [] },
        ],
      }),
      TABLE,
    );
    const drift = compareWithBaseline([regressed], baseline);
    expect(drift.added).toEqual([
      { id: "sample-users", entry: "sample-user-get: XSOAR argument properties is not in msint" },
    ]);
    expect(drift.removed).toEqual([]);
    const lines = describeDrift(drift, "data/xsoar/known-differences.json");
    expect(lines[0]).toBe(
      "✗ new difference in sample-users: sample-user-get: XSOAR argument properties is not in msint",
    );
    expect(lines.at(-1)).toContain("check-xsoar --update-baseline");
  });

  it("fails when a baseline entry was fixed, so that the baseline shrinks", () => {
    const baseline = baselineOf([withGap()]);
    const drift = compareWithBaseline([compareIntegration(manifest(), TABLE)], baseline);
    expect(drift.added).toEqual([]);
    expect(drift.removed).toEqual([
      { id: "sample-users", entry: "command sample-user-delete: not yet in msint" },
    ]);
    expect(describeDrift(drift, "data/xsoar/known-differences.json")[0]).toBe(
      '✗ sample-users: "command sample-user-delete: not yet in msint" no longer occurs; remove it from data/xsoar/known-differences.json',
    );
  });

  it("records nothing for an integration without differences", () => {
    expect(baselineOf([compareIntegration(manifest(), TABLE)]).differences).toEqual({});
  });
});

describe("renderParityDocs", () => {
  it("lists each XSOAR command with its msint command or 'not yet', and msint-only commands", () => {
    const report = compareIntegration(
      manifest({
        commands: [
          { name: "sample-user-get", arguments: ["user", "properties"] },
          { name: "sample-user-export", arguments: [] },
        ],
      }),
      TABLE,
    );
    const text = renderParityDocs([report]);
    expect(text.startsWith("<!-- Generated by")).toBe(true);
    expect(text).toContain("| `sample-user-get` | `sample-user-get` |");
    expect(text).toContain("| `sample-user-delete` | not yet |");
    expect(text).toContain("| `sample-user-terminate` (deprecated) | not yet |");
    expect(text).toContain("| msint only | `sample-user-export` |");
    expect(text).toContain("XSOAR app name: `ms-sample-users`; built-in client ID: none");
    expect(text).toContain("Coverage: 1 of 3 non-deprecated XSOAR commands (33.3 %)");
  });
});
