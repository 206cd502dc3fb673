import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgumentWords, parseCommandLine, UsageError } from "../src/args.js";

const commandName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/);
const argumentName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/);
/** Values as people type them: spaces, both quotes, backslashes, backticks, tabs, line breaks, any Unicode. */
const value = fc.oneof(
  fc.string({ unit: fc.constantFrom(..." \t\n\"'\\`=!ab1-_.é€😀".split("")), maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ maxLength: 20 }),
);
const argumentsArb = fc.uniqueArray(fc.tuple(argumentName, value), {
  selector: ([name]) => name,
  maxLength: 6,
});

/** Writes a value the way a user would have to: bare when it can be, else in double quotes with \" and \\. */
function quote(text: string): string {
  if (text !== "" && !/\s/.test(text) && !/^["`]/.test(text)) return text;
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

describe("!command name=value parsing (property)", () => {
  it("serialising with quoting and parsing back gives the same command and arguments", () => {
    fc.assert(
      fc.property(
        commandName,
        argumentsArb,
        fc.constantFrom(" ", "  ", "\t", " \n "),
        (command, args, gap) => {
          const line = [`!${command}`, ...args.map(([name, text]) => `${name}=${quote(text)}`)].join(gap);
          const parsed = parseCommandLine(line);
          expect(parsed.command).toBe(command);
          expect(parsed.args).toEqual(Object.fromEntries(args));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("backtick quoting takes any value without a backtick literally", () => {
    fc.assert(
      fc.property(
        commandName,
        argumentName,
        value.filter((text) => !text.includes("`")),
        (command, name, text) => {
          expect(parseCommandLine(`!${command} ${name}=\`${text}\``).args).toEqual({ [name]: text });
        },
      ),
    );
  });

  it("the shell form (words already unquoted by the shell) round-trips too", () => {
    fc.assert(
      fc.property(argumentsArb, (args) => {
        expect(parseArgumentWords(args.map(([name, text]) => `${name}=${text}`))).toEqual(
          Object.fromEntries(args),
        );
      }),
    );
  });

  it("any input either parses or fails with a UsageError (never another error)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.string({ unit: fc.constantFrom(..."!ab= \"'\\`\t\n-_.".split("")), maxLength: 40 }),
          fc.string({ maxLength: 40 }).map((text) => `!cmd ${text}`),
        ),
        (line) => {
          try {
            const parsed = parseCommandLine(line);
            expect(typeof parsed.command).toBe("string");
            for (const text of Object.values(parsed.args)) expect(typeof text).toBe("string");
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
            expect((error as UsageError).exitCode).toBe(2);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("an argument given twice is refused, whatever the values", () => {
    fc.assert(
      fc.property(commandName, argumentName, value, value, (command, name, first, second) => {
        expect(() =>
          parseCommandLine(`!${command} ${name}=${quote(first)} ${name}=${quote(second)}`),
        ).toThrow(/given twice/);
      }),
    );
  });
});
