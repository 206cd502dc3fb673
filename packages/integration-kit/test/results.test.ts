import { describe, expect, it } from "vitest";
import { moreEntriesNote, tableToMarkdown, textContentMarkdown } from "../src/results.js";

describe("tableToMarkdown", () => {
  it("renders a heading, the columns in order and escaped cells", () => {
    expect(
      tableToMarkdown("Users", [
        { Name: "a|b", Roles: ["x", "y"], Enabled: true },
        { Name: "c", Note: "line1\nline2" },
      ]),
    ).toBe(
      "### Users\n|Name|Roles|Enabled|Note|\n|---|---|---|---|\n|a\\|b|x, y|true||\n|c|||line1<br>line2|\n",
    );
  });
  it("says so when there are no entries", () => {
    expect(tableToMarkdown("Users", [])).toBe("### Users\n**No entries.**\n");
  });
  it("honours the given headers", () => {
    expect(tableToMarkdown("T", { b: 2, a: 1 }, ["a", "b"])).toBe("### T\n|a|b|\n|---|---|\n|1|2|\n");
  });
});

describe("textContentMarkdown and moreEntriesNote", () => {
  it("fences the text with its size, and cuts it after shownChars", () => {
    expect(textContentMarkdown("Blob a.txt", "héllo")).toBe("### Blob a.txt (6 bytes)\n\n```\nhéllo\n```\n");
    const long = textContentMarkdown("f", "x".repeat(10), 4);
    expect(long).toContain("xxxx\n… (6 more characters: use --json for all of it)");
    expect(textContentMarkdown("f", "a ``` b")).toContain("~~~~\na ``` b\n~~~~");
  });

  it("says there are more only when there are", () => {
    expect(moreEntriesNote(false, 5000)).toBe("");
    expect(moreEntriesNote(true, 5000)).toContain("raise limit (at most 5000)");
  });
});
