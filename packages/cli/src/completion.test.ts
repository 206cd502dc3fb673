import { describe, expect, it } from "vitest";
import { candidates, splitLine } from "./completion.js";

describe("completion", () => {
  it("completes msint's commands and subcommands as main.ts registers them", async () => {
    expect(await candidates(["msint", ""])).toEqual(
      expect.arrayContaining(["integrations", "instance", "run", "login", "completion", "help"]),
    );
    expect(await candidates(["msint", "instance", ""])).toEqual(["add", "set", "list", "show", "remove"]);
    expect(await candidates(["msint", "broker", ""])).toEqual(["start"]);
  });

  it("splits a command line as a shell does, quotes included, with an empty word after a blank", () => {
    expect(splitLine(`msint run x a='b c' "d e" f\\ g `)).toEqual([
      "msint",
      "run",
      "x",
      "a=b c",
      "d e",
      "f g",
      "",
    ]);
    expect(splitLine("msint ins")).toEqual(["msint", "ins"]);
  });
});
