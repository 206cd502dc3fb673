/** A Graph query-option error: status, Graph error code and message. */
export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Literal = string | number | boolean | null;

/** A parsed `$filter` expression. */
export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; property: string; value: Literal }
  | { kind: "in"; property: string; values: Literal[] }
  | { kind: "startswith"; property: string; value: string };

type Token =
  | { type: "string"; value: string; at: number }
  | { type: "word"; value: string; at: number }
  | { type: "punct"; value: "(" | ")" | ","; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const syntax = (at: number) =>
    new ODataError("BadRequest", `Invalid filter clause: Syntax error at position ${at} in '${input}'.`);
  while (i < input.length) {
    const char = input[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "(" || char === ")" || char === ",") {
      tokens.push({ type: "punct", value: char, at: i });
      i++;
    } else if (char === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) throw syntax(start);
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += input[i];
        i++;
      }
      tokens.push({ type: "string", value, at: start });
    } else if (/[A-Za-z0-9_.$/+-]/.test(char)) {
      const start = i;
      while (i < input.length && /[A-Za-z0-9_.$/+:-]/.test(input[i]!)) i++;
      tokens.push({ type: "word", value: input.slice(start, i), at: start });
    } else {
      throw syntax(i);
    }
  }
  return tokens;
}

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

/** Parse an OData `$filter` (the subset Graph supports on directory objects without advanced queries). */
export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input);
  let position = 0;
  const syntax = (token: Token | undefined) =>
    new ODataError(
      "BadRequest",
      `Invalid filter clause: Syntax error at position ${token ? token.at : input.length} in '${input}'.`,
    );
  const peekWord = (word: string) => {
    const token = tokens[position];
    return token?.type === "word" && token.value.toLowerCase() === word;
  };
  const expect = (value: "(" | ")" | ",") => {
    const token = tokens[position];
    if (token?.type !== "punct" || token.value !== value) throw syntax(token);
    position++;
  };
  const property = (): string => {
    const token = tokens[position];
    if (token?.type !== "word" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(token.value)) throw syntax(token);
    position++;
    return token.value;
  };
  const literal = (): Literal => {
    const token = tokens[position];
    if (!token || token.type === "punct") throw syntax(token);
    position++;
    if (token.type === "string") return token.value;
    const word = token.value.toLowerCase();
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    // Unquoted GUIDs are accepted for key properties, as Graph does.
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(word)) return token.value;
    throw syntax(token);
  };
  const primary = (): FilterNode => {
    const token = tokens[position];
    if (token?.type === "punct" && token.value === "(") {
      position++;
      const inner = orExpression();
      expect(")");
      return inner;
    }
    if (
      token?.type === "word" &&
      tokens[position + 1]?.type === "punct" &&
      tokens[position + 1]?.value === "("
    ) {
      const name = token.value.toLowerCase();
      if (name !== "startswith") {
        throw new ODataError(
          "Request_UnsupportedQuery",
          `Unsupported Query. Function '${token.value}' is not supported.`,
        );
      }
      position += 2;
      const prop = property();
      expect(",");
      const value = literal();
      expect(")");
      if (typeof value !== "string") throw syntax(tokens[position - 2]);
      return { kind: "startswith", property: prop, value };
    }
    const prop = property();
    const opToken = tokens[position];
    if (opToken?.type !== "word") throw syntax(opToken);
    const op = opToken.value.toLowerCase();
    position++;
    if (op === "in") {
      expect("(");
      const values = [literal()];
      while (tokens[position]?.type === "punct" && tokens[position]?.value === ",") {
        position++;
        values.push(literal());
      }
      expect(")");
      return { kind: "in", property: prop, values };
    }
    if (!COMPARISONS.has(op)) throw syntax(opToken);
    return { kind: "compare", op: op as "eq", property: prop, value: literal() };
  };
  const unary = (): FilterNode => {
    if (peekWord("not")) {
      position++;
      return { kind: "not", operand: unary() };
    }
    return primary();
  };
  const andExpression = (): FilterNode => {
    let left = unary();
    while (peekWord("and")) {
      position++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  function orExpression(): FilterNode {
    let left = andExpression();
    while (peekWord("or")) {
      position++;
      left = { kind: "or", left, right: andExpression() };
    }
    return left;
  }
  if (tokens.length === 0) throw syntax(undefined);
  const tree = orExpression();
  if (position !== tokens.length) throw syntax(tokens[position]);
  return tree;
}

/** What each property of an entity supports in `$filter`. */
export interface FilterCapabilities {
  /** Property names (canonical case). */
  properties: readonly string[];
  /** Properties usable with eq/ne/in. */
  equality: ReadonlySet<string>;
  /** Properties usable with startswith. */
  startsWith: ReadonlySet<string>;
  /** OData type name for messages, e.g. `microsoft.graph.user`. */
  typeName: string;
  /** Resource name for messages, e.g. `User`. */
  resourceName: string;
}

function canonical(capabilities: FilterCapabilities, name: string): string {
  const found = capabilities.properties.find((property) => property.toLowerCase() === name.toLowerCase());
  if (!found) {
    throw new ODataError(
      "BadRequest",
      `Could not find a property named '${name}' on type '${capabilities.typeName}'.`,
    );
  }
  return found;
}

function unsupported(capabilities: FilterCapabilities, property: string): ODataError {
  return new ODataError(
    "Request_UnsupportedQuery",
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${capabilities.resourceName}'.`,
  );
}

function equals(actual: unknown, expected: Literal): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual === "string" && typeof expected === "string")
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

/** Compile a parsed filter into a predicate, refusing properties and operators the entity does not support. */
export function compileFilter(
  node: FilterNode,
  capabilities: FilterCapabilities,
): (entity: Record<string, unknown>) => boolean {
  switch (node.kind) {
    case "and": {
      const left = compileFilter(node.left, capabilities);
      const right = compileFilter(node.right, capabilities);
      return (entity) => left(entity) && right(entity);
    }
    case "or": {
      const left = compileFilter(node.left, capabilities);
      const right = compileFilter(node.right, capabilities);
      return (entity) => left(entity) || right(entity);
    }
    case "not": {
      const operand = compileFilter(node.operand, capabilities);
      return (entity) => !operand(entity);
    }
    case "startswith": {
      const property = canonical(capabilities, node.property);
      if (!capabilities.startsWith.has(property)) throw unsupported(capabilities, property);
      const prefix = node.value.toLowerCase();
      return (entity) => {
        const value = entity[property];
        return typeof value === "string" && value.toLowerCase().startsWith(prefix);
      };
    }
    case "in": {
      const property = canonical(capabilities, node.property);
      if (!capabilities.equality.has(property)) throw unsupported(capabilities, property);
      return (entity) => node.values.some((value) => equals(entity[property], value));
    }
    case "compare": {
      const property = canonical(capabilities, node.property);
      if (!capabilities.equality.has(property) || (node.op !== "eq" && node.op !== "ne")) {
        throw unsupported(capabilities, property);
      }
      const negate = node.op === "ne";
      return (entity) => equals(entity[property], node.value) !== negate;
    }
  }
}

/** Resolve `$select` to canonical property names (in the order asked, without duplicates). */
export function parseSelect(select: string, capabilities: FilterCapabilities): string[] {
  const names = select
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new ODataError("BadRequest", "Invalid $select: the list of properties is empty.");
  return [...new Set(names.map((name) => canonical(capabilities, name)))];
}

/** Parse `$top` (1..999 on directory objects). */
export function parseTop(top: string | undefined, fallback: number): number {
  if (top === undefined) return fallback;
  const value = Number(top);
  if (!/^\d+$/.test(top.trim()) || value < 1 || value > 999) {
    throw new ODataError(
      "Request_BadRequest",
      `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
    );
  }
  return value;
}

/** `$skiptoken` values: opaque to clients, an offset to us. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(`msint-page:${offset}`).toString("base64url");
}

export function decodeSkipToken(token: string): number {
  const match = /^msint-page:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) {
    throw new ODataError(
      "Directory_ExpiredPageToken",
      "The specified page token value has expired and can no longer be included in your request.",
    );
  }
  return Number(match[1]);
}
