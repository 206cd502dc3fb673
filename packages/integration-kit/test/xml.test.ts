import { describe, expect, it } from "vitest";
import { parseXml, XmlError, xmlChildren, xmlEscape, xmlFind, xmlText } from "../src/xml.js";

const CONTAINERS = `\uFEFF<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://socstorage.blob.core.windows.net/">
  <Prefix>ev</Prefix>
  <MaxResults>2</MaxResults>
  <Containers>
    <Container>
      <Name>evidence</Name>
      <Properties>
        <Last-Modified>Wed, 25 Nov 2026 10:00:00 GMT</Last-Modified>
        <PublicAccess>blob</PublicAccess>
      </Properties>
      <Metadata />
    </Container>
    <Container><Name>evidence-&amp;-more</Name><Properties/></Container>
  </Containers>
  <NextMarker>/socstorage/evidence-2</NextMarker>
</EnumerationResults>`;

describe("parseXml", () => {
  it("reads an Azure Storage listing: attributes, nesting, self-closing tags, entities, a byte-order mark", () => {
    const root = parseXml(CONTAINERS);
    expect(root.name).toBe("EnumerationResults");
    expect(root.attributes).toEqual({ ServiceEndpoint: "https://socstorage.blob.core.windows.net/" });
    const containers = xmlChildren(xmlFind(root, "Containers"), "Container");
    expect(containers.map((container) => xmlText(container, "Name"))).toEqual([
      "evidence",
      "evidence-&-more",
    ]);
    expect(xmlText(containers[0], "Properties", "PublicAccess")).toBe("blob");
    expect(xmlText(containers[1], "Properties", "PublicAccess")).toBeUndefined();
    expect(xmlFind(containers[0], "Metadata")).toMatchObject({ children: [], text: "" });
    expect(xmlText(root, "NextMarker")).toBe("/socstorage/evidence-2");
    expect(xmlText(root, "Missing", "Path")).toBeUndefined();
  });

  it("decodes character references and keeps CDATA as it is; comments are skipped", () => {
    const root = parseXml(
      `<m a='x &quot;y&quot;'><!-- note --><t>&#72;&#x69; &lt;there&gt; &apos;&#x1F600;</t><c><![CDATA[<b>&amp;</b>]]></c></m>`,
    );
    expect(root.attributes["a"]).toBe('x "y"');
    expect(xmlText(root, "t")).toBe("Hi <there> '😀");
    expect(xmlText(root, "c")).toBe("<b>&amp;</b>");
  });

  it.each([
    ["", /No element/],
    ["not xml at all", /Text outside the root element/],
    ["<a><b></a>", /closing tag <\/a> that does not match <b>/],
    ["<a>", /<a> is not closed/],
    ["<a></a><b/>", /second root element/],
    ["<a>&nbsp;</a>", /entity &nbsp; .* is not defined/],
    ["<a>fish & chips</a>", /bare "&"/],
    ["<a>&#xD800;</a>", /is not a character/],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /document type declaration is not accepted/],
    ["<a><!-- never closed </a>", /Unterminated comment/],
    ['<a b="1"c>', /malformed tag <a>/],
  ])("refuses %j", (source, message) => {
    expect(() => parseXml(source)).toThrow(XmlError);
    expect(() => parseXml(source)).toThrow(message);
  });
});

describe("xmlEscape", () => {
  it("round-trips any text through an element", () => {
    for (const text of ["a & b <c> \"d\" 'e'", "&amp; is already escaped", "plain", "😀 ]]> </x>"]) {
      expect(xmlText(parseXml(`<m><t>${xmlEscape(text)}</t></m>`), "t")).toBe(text.trim());
    }
  });
});

describe("names of Object.prototype in server XML", () => {
  it("an entity named after a prototype property is undefined, not a function's text", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(() => parseXml(`<a>&${name};</a>`)).toThrow(XmlError);
    }
  });

  it("an attribute named __proto__ is an attribute like any other", () => {
    const root = parseXml('<a __proto__="x" constructor="y"/>');
    expect(Object.hasOwn(root.attributes, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(root.attributes, "__proto__")?.value).toBe("x");
    expect(root.attributes["constructor"]).toBe("y");
  });
});
