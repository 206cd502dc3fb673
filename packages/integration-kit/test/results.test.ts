import { describe, expect, it } from "vitest";
import { tableToMarkdown } from "../src/results.js";

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
