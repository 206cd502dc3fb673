import { describe, expect, it } from "vitest";
import { parseFastRun } from "./fast-path.js";

const argv = (...words: string[]) => ["node", "msint", ...words];

describe("parseFastRun: the hot path that skips commander", () => {
  it("takes `run <command> [args…] --instance NAME` with --json and --debug anywhere commander takes them", () => {
    expect(parseFastRun(argv("run", "msgraph-user-list-users", "limit=5", "--instance", "graph"))).toEqual({
      command: "msgraph-user-list-users",
      words: ["limit=5"],
      options: { instance: "graph", json: false },
      debug: false,
    });
    expect(
      parseFastRun(argv("--debug", "run", "x-auth-test", "--json", "--instance=prod east", "a=b c", "d=")),
    ).toEqual({
      command: "x-auth-test",
      words: ["a=b c", "d="],
      options: { instance: "prod east", json: true },
      debug: true,
    });
    expect(parseFastRun(argv("run", "x-list", "--format", "table", "--instance", "i"))).toMatchObject({
      options: { instance: "i", json: false, format: "table" },
    });
    expect(parseFastRun(argv("run", "x-list", "--format=markdown", "--instance", "i"))).toMatchObject({
      options: { format: "markdown" },
    });
    expect(parseFastRun(argv("run", "!x-auth-test a=1", "--debug", "--instance", "i"))).toMatchObject({
      command: "!x-auth-test a=1",
      debug: true,
    });
  });

  it("leaves everything else to commander, which prints its help and errors", () => {
    for (const words of [
      [],
      ["instance", "list"],
      ["run"],
      ["run", "x-auth-test"], // no --instance: commander names the missing option
      ["run", "--instance", "i"], // no command
      ["run", "x-auth-test", "--instance"], // --instance without a value
      ["run", "x-auth-test", "--instance", "--json"],
      ["run", "x-auth-test", "--instance", "i", "--help"],
      ["run", "x-auth-test", "--instance", "i", "--", "a=1"],
      ["run", "x-auth-test", "--instance", "i", "-j"],
      ["run", "x-auth-test", "--instance", "i", "--format"], // --format without a value
      ["--version"],
      ["--debug", "instance", "list"],
      ["help", "run"],
    ]) {
      expect(parseFastRun(argv(...words)), words.join(" ")).toBeUndefined();
    }
  });
});
