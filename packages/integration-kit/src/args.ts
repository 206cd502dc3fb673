import { brandErrorClass, MsintError, type MsintErrorOptions } from "@msint/auth-core/internal";

/** A usage mistake (unknown command, bad argument syntax, missing argument): exit code 2. */
export class UsageError extends MsintError {
  override name = "UsageError";
  declare readonly exitCode: 2;

  static {
    brandErrorClass(UsageError, "UsageError");
  }

  constructor(message: string, options: Omit<MsintErrorOptions, "exitCode"> = {}) {
    super(message, { code: "usage_error", ...options, exitCode: 2 });
  }
}

/**
 * Parses the War Room form `!command arg=value arg2="a value" arg3=`json``: the command name, then
 * `name=value` pairs; values may be quoted with double quotes (backslash escapes `"` and `\`), or with
 * backticks (taken literally).
 */
export function parseCommandLine(line: string): { command: string; args: Record<string, string> } {
  const text = line.trim();
  if (!text.startsWith("!"))
    throw new UsageError(`A War Room command starts with "!", e.g. !msgraph-user-list top=5.`);
  const match = /^!([A-Za-z0-9][A-Za-z0-9._-]*)(?=\s|$)/.exec(text);
  if (!match)
    throw new UsageError(
      `"${text.split(/\s/)[0]}" is not a command name; write it as !<command> name=value …`,
    );
  const command = match[1]!;
  // No prototype: an argument named __proto__ or constructor is an argument like any other (and then refused).
  const args: Record<string, string> = Object.create(null);
  let index = match[0].length;
  while (index < text.length) {
    while (index < text.length && /\s/.test(text[index]!)) index++;
    if (index >= text.length) break;
    const nameMatch = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(text.slice(index));
    if (!nameMatch) {
      const token = text.slice(index).split(/\s/)[0];
      throw new UsageError(
        `Expected name=value after !${command}, found "${token}". Quote values that contain spaces: name="a value".`,
      );
    }
    const name = nameMatch[1]!;
    index += nameMatch[0].length;
    let value = "";
    const quote = text[index];
    if (quote === '"') {
      index++;
      let closed = false;
      while (index < text.length) {
        const char = text[index]!;
        if (char === "\\" && (text[index + 1] === '"' || text[index + 1] === "\\")) {
          value += text[index + 1];
          index += 2;
          continue;
        }
        if (char === '"') {
          closed = true;
          index++;
          break;
        }
        value += char;
        index++;
      }
      if (!closed) throw new UsageError(`The value of ${name} opens a double quote that is never closed.`);
    } else if (quote === "`") {
      const end = text.indexOf("`", index + 1);
      if (end < 0) throw new UsageError(`The value of ${name} opens a backtick that is never closed.`);
      value = text.slice(index + 1, end);
      index = end + 1;
    } else {
      const end = text.slice(index).search(/\s/);
      value = end < 0 ? text.slice(index) : text.slice(index, index + end);
      index = end < 0 ? text.length : index + end;
    }
    if (index < text.length && !/\s/.test(text[index]!)) {
      throw new UsageError(`Unexpected text after the value of ${name}: separate arguments with spaces.`);
    }
    if (Object.hasOwn(args, name)) throw new UsageError(`The argument ${name} is given twice.`);
    args[name] = value;
  }
  return { command, args };
}

/** Parses `name=value` words of the shell form (`msint run cmd a=1 b="x y"`, the shell already unquoted). */
export function parseArgumentWords(words: readonly string[]): Record<string, string> {
  const args: Record<string, string> = Object.create(null);
  for (const word of words) {
    const equals = word.indexOf("=");
    if (equals <= 0 || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(word.slice(0, equals))) {
      throw new UsageError(`Arguments are written name=value; "${word}" is not.`);
    }
    const name = word.slice(0, equals);
    if (Object.hasOwn(args, name)) throw new UsageError(`The argument ${name} is given twice.`);
    args[name] = word.slice(equals + 1);
  }
  return args;
}
