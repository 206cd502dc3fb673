import { describe, expect, it } from "vitest";
import { parseArgumentWords, parseCommandLine, UsageError } from "../src/args.js";

describe("parseCommandLine (the War Room form)", () => {
  it("reads the command and name=value pairs, with double quotes and backticks", () => {
    expect(
      parseCommandLine('!msgraph-user-list limit=5 filter="startswith(displayName,\'A\')" raw=`{"a": 1}`'),
    ).toEqual({
      command: "msgraph-user-list",
      args: { limit: "5", filter: "startswith(displayName,'A')", raw: '{"a": 1}' },
    });
  });

  it('unescapes \\" and \\\\ inside double quotes and keeps empty values', () => {
    expect(parseCommandLine('!cmd a="say \\"hi\\" \\\\o/" b=""')).toEqual({
      command: "cmd",
      args: { a: 'say "hi" \\o/', b: "" },
    });
  });

  it.each([
    ["msgraph-user-list", 'starts with "!"'],
    ["!", "is not a command name"],
    ['!cmd a="open', "never closed"],
    ["!cmd a=`open", "never closed"],
    ["!cmd justaword", "Expected name=value"],
    ["!cmd a=1 a=2", "given twice"],
    ['!cmd a="x"y', "separate arguments with spaces"],
  ])("rejects %s", (line, message) => {
    expect(() => parseCommandLine(line)).toThrow(UsageError);
    expect(() => parseCommandLine(line)).toThrow(message);
  });
});

describe("parseArgumentWords (the shell form)", () => {
  it("splits on the first = only", () => {
    expect(parseArgumentWords(["filter=a=b", "top=1"])).toEqual({ filter: "a=b", top: "1" });
  });
  it("rejects words without a name", () => {
    expect(() => parseArgumentWords(["=x"])).toThrow("name=value");
    expect(() => parseArgumentWords(["plain"])).toThrow("name=value");
  });
});

describe("argument names that are properties of Object.prototype", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "%s=1 is kept as an argument",
    (name) => {
      const shell = parseArgumentWords([`${name}=1`]);
      expect(Object.keys(shell)).toEqual([name]);
      expect(Object.hasOwn(shell, name)).toBe(true);
      const warRoom = parseCommandLine(`!msgraph-user-list ${name}=1`).args;
      expect(Object.keys(warRoom)).toEqual([name]);
      // Given twice, it is refused like any other argument.
      expect(() => parseArgumentWords([`${name}=1`, `${name}=2`])).toThrow(UsageError);
    },
  );
});
