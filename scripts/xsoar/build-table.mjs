#!/usr/bin/env node
// Builds data/xsoar/<id>.json from compact transcription notes (one file per integration) taken by hand from
// demisto/content's Packs/<Pack>/Integrations/<Name>/<Name>.yml and .py. Usage:
//   node scripts/xsoar/build-table.mjs <notes-folder>
// Notes format (one item a line):
//   @id <msint id>  @name/@display/@pack/@yml/@py/@commit <value>  @app <name or ->  @client <id>  @resource <value>
//   @note <text>    @set <NAME> <paths>   (then $NAME inside an `o` line)
//   c <command> [dep]
//   a <argument> [*] [=default] [[v1,v2]] [dep]      (* = required, [..] = predefined values)
//   o <path> ...                                     (Prefix.{a,b} expands to Prefix.a Prefix.b)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;

function expand(token) {
  const match = /^(.*?)\{([^}]*)\}(.*)$/.exec(token);
  if (!match) return [token];
  return match[2].split(",").flatMap((part) => expand(`${match[1]}${part}${match[3]}`));
}

function parseArgument(rest) {
  const tokens = rest.match(/\[[^\]]*\]|="[^"]*"|\S+/g) ?? [];
  const argument = { name: tokens.shift(), required: false, default: null, predefined: [] };
  for (const token of tokens) {
    if (token === "*") argument.required = true;
    else if (token === "dep") argument.deprecated = true;
    else if (token.startsWith("=")) argument.default = token.slice(1).replace(/^"(.*)"$/, "$1");
    else if (token.startsWith("[")) argument.predefined = token.slice(1, -1).split(",");
    else throw new Error(`unknown argument token ${token} in "${rest}"`);
  }
  return argument;
}

function parseNotes(text) {
  const meta = { notes: [] };
  const sets = new Map();
  const commands = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const [head, ...restParts] = line.split(" ");
    const rest = restParts.join(" ");
    if (head === "@set") {
      const [name, ...paths] = restParts;
      sets.set(name, paths.join(" "));
    } else if (head === "@note") meta.notes.push(rest);
    else if (head.startsWith("@")) meta[head.slice(1)] = rest;
    else if (head === "c")
      commands.push({ name: restParts[0], deprecated: restParts[1] === "dep", arguments: [], outputs: [] });
    else if (head === "a") commands.at(-1).arguments.push(parseArgument(rest));
    else if (head === "o") {
      const substituted = rest.replace(/\$([A-Za-z0-9]+)/g, (_, name) => {
        if (!sets.has(name)) throw new Error(`unknown set $${name}`);
        return sets.get(name);
      });
      commands.at(-1).outputs.push(...substituted.split(/\s+/).flatMap(expand));
    } else throw new Error(`unknown line: ${line}`);
  }
  return { meta, commands };
}

function toTable({ meta, commands }) {
  const orNull = (value) => (value === undefined || value === "-" ? null : value === '""' ? "" : value);
  return {
    id: meta.id,
    xsoar: {
      name: meta.name,
      display: meta.display ?? meta.name,
      pack: meta.pack,
      sources: [meta.yml, meta.py],
      commit: meta.commit ?? null,
      appName: orNull(meta.app),
      builtInClientId: orNull(meta.client),
      brokerResource: orNull(meta.resource),
      ...(meta.notes.length ? { notes: meta.notes } : {}),
    },
    commands,
  };
}

const folder = process.argv[2];
if (!folder) {
  console.error("Usage: node scripts/xsoar/build-table.mjs <notes-folder>");
  process.exit(2);
}
const out = join(root, "data", "xsoar");
mkdirSync(out, { recursive: true });
for (const file of readdirSync(folder).filter((name) => name.endsWith(".txt"))) {
  const table = toTable(parseNotes(readFileSync(join(folder, file), "utf8")));
  writeFileSync(join(out, `${table.id}.json`), `${JSON.stringify(table, null, 2)}\n`);
  console.log(`${table.id}: ${table.commands.length} commands`);
}
// Integrations without a transcription get an explicit placeholder, so every manifest has a table file.
for (const name of readdirSync(join(root, "integrations"))) {
  const path = join(out, `${name}.json`);
  if (!existsSync(join(root, "integrations", name, "src", "index.ts")) || existsSync(path)) continue;
  const placeholder = {
    id: name,
    xsoar: null,
    reason: "Not transcribed from demisto/content yet.",
    commands: [],
  };
  writeFileSync(path, `${JSON.stringify(placeholder, null, 2)}\n`);
  console.log(`${name}: placeholder`);
}
