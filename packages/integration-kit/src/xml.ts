import { brandErrorClass, MsintError, type MsintErrorOptions } from "@msint/auth-core/internal";
/**
 * A small reader for the XML that Azure Storage (Blob, File, Queue) answers with: elements, attributes, text and
 * CDATA, the five named entities and numeric character references. No DTDs, no namespaces beyond keeping the
 * prefixed name as it is, no external anything: what a service answers is data, never instructions.
 */

/** One element: its name, attributes, child elements in order, and its own text (CDATA included). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Thrown for a body that is not well-formed XML; the message says where. */
export class XmlError extends MsintError {
  override readonly name = "XmlError";

  static {
    brandErrorClass(XmlError, "XmlError");
  }

  constructor(message: string, options: MsintErrorOptions = {}) {
    super(message, { code: "invalid_xml", ...options });
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
const ATTRIBUTE = /\s+([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;

function decodeEntities(text: string, at: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (match, entity: string | undefined) => {
    if (entity === undefined) throw new XmlError(`A bare "&" near character ${at}.`);
    if (entity.startsWith("#")) {
      const code =
        entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff))
        throw new XmlError(`The character reference ${match} near character ${at} is not a character.`);
      return String.fromCodePoint(code);
    }
    const named = Object.hasOwn(NAMED_ENTITIES, entity) ? NAMED_ENTITIES[entity] : undefined;
    if (named === undefined) throw new XmlError(`The entity ${match} near character ${at} is not defined.`);
    return named;
  });
}

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new XmlError(`${what} at character ${at}.`);
  };
  const skipUntil = (end: string, what: string) => {
    const next = source.indexOf(end, at);
    if (next < 0) fail(`Unterminated ${what}`);
    at = next + end.length;
  };

  if (source.charCodeAt(0) === 0xfeff) at = 1;
  while (at < source.length) {
    const open = source.indexOf("<", at);
    const text = source.slice(at, open < 0 ? source.length : open);
    if (text.trim() !== "") {
      const parent = stack.at(-1);
      if (!parent) fail("Text outside the root element");
      parent!.text += decodeEntities(text, at);
    }
    if (open < 0) break;
    at = open;
    if (source.startsWith("<?", at)) {
      skipUntil("?>", "processing instruction");
    } else if (source.startsWith("<!--", at)) {
      skipUntil("-->", "comment");
    } else if (source.startsWith("<![CDATA[", at)) {
      const start = at + "<![CDATA[".length;
      skipUntil("]]>", "CDATA section");
      const parent = stack.at(-1);
      if (!parent) fail("CDATA outside the root element");
      parent!.text += source.slice(start, at - 3);
    } else if (source.startsWith("<!", at)) {
      fail("A document type declaration is not accepted");
    } else if (source.startsWith("</", at)) {
      NAME.lastIndex = at + 2;
      const name = NAME.exec(source)?.[0];
      const element = stack.pop();
      if (!name || !element || element.name !== name)
        fail(`A closing tag </${name ?? ""}> that does not match <${element?.name ?? ""}>`);
      at = NAME.lastIndex;
      while (/\s/.test(source[at] ?? "")) at++;
      if (source[at] !== ">") fail(`An unterminated closing tag </${name}>`);
      at++;
    } else {
      NAME.lastIndex = at + 1;
      const name = NAME.exec(source)?.[0];
      if (!name) fail("A tag without a name");
      at = NAME.lastIndex;
      // Attribute names come from the server: no prototype, so "__proto__" is an attribute like any other.
      const element: XmlElement = { name: name!, attributes: Object.create(null), children: [], text: "" };
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const attribute = ATTRIBUTE.exec(source);
        if (!attribute) break;
        element.attributes[attribute[1]!] = decodeEntities(attribute[3] ?? attribute[4] ?? "", at);
        at = ATTRIBUTE.lastIndex;
      }
      while (/\s/.test(source[at] ?? "")) at++;
      const selfClosing = source.startsWith("/>", at);
      if (!selfClosing && source[at] !== ">") fail(`A malformed tag <${name}>`);
      at += selfClosing ? 2 : 1;
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail("A second root element");
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length > 0) fail(`The element <${stack.at(-1)!.name}> is not closed`);
  if (!root) fail("No element");
  return root!;
}

/** The child elements named `name`. */
export function xmlChildren(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((child) => child.name === name) : [];
}

/** The first element along a path of child names (`xmlFind(root, "Containers", "Container")`). */
export function xmlFind(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = current?.children.find((child) => child.name === name);
  return current;
}

/** The trimmed text of the element along `path`, or undefined when it is missing or empty. */
export function xmlText(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const text = xmlFind(element, ...path)?.text.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** Text made safe inside an XML element or a double-quoted attribute. */
export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[char]};`,
  );
}
