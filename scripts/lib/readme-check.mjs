// What every published package's README.md must have (scripts/check-packages.mjs, the generator's CI check): a
// title, how to install it, a runnable example, and its API or commands.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Level-2+ headings and the text under each. */
function sections(text) {
  const found = [];
  let current;
  for (const line of text.split("\n")) {
    const heading = /^#{2,4}\s+(.+?)\s*$/.exec(line);
    if (heading) {
      current = { heading: heading[1], body: "" };
      found.push(current);
    } else if (current) current.body += `${line}\n`;
  }
  return found;
}

const REQUIRED = [
  { what: "an install section (a heading with Install)", heading: /\binstall/i },
  {
    what: "an example section with a code block (a heading with Example)",
    heading: /\bexamples?\b/i,
    code: true,
  },
  { what: "an API or commands section (a heading with API or Commands)", heading: /\bAPI\b|\bcommands\b/i },
];

/** The problems of `dir/README.md` (empty when it has what a README needs). */
export function readmeProblems(dir) {
  const path = join(dir, "README.md");
  if (!existsSync(path)) return ["no README.md"];
  const text = readFileSync(path, "utf8");
  const problems = [];
  if (!/^# \S/.test(text.trimStart())) problems.push("README.md does not start with a title (# name)");
  const found = sections(text);
  for (const rule of REQUIRED) {
    const matching = found.filter((section) => rule.heading.test(section.heading));
    if (!matching.length || (rule.code && !matching.some((section) => section.body.includes("```"))))
      problems.push(`README.md lacks ${rule.what}`);
  }
  return problems;
}
