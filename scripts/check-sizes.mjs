#!/usr/bin/env node
// Issue 12: no function of the product is longer than 150 lines. Parses every source file of packages/* and
// integrations/* (not tests, not generated declarations) with the TypeScript compiler and lists each function,
// method or arrow function whose body spans more than the limit, the closures it defines included: a
// subsystem held in one closure (every route of a server inside its start function) counts as one function.
//
//   node scripts/check-sizes.mjs            fail (exit 1) when a function exceeds 150 lines
//   node scripts/check-sizes.mjs --top 20   also print the 20 longest functions
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const LIMIT = 150;

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (
      /\.(ts|tsx|mts|cts)$/.test(name) &&
      !/\.(test|e2e\.test|bench)\.ts$/.test(name) &&
      !name.endsWith(".d.ts")
    )
      out.push(path);
  }
  return out;
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node)
  );
}

function nameOf(node, file) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(file);
  if (parent && ts.isCallExpression(parent))
    return `(callback of ${parent.expression.getText(file).slice(0, 40)})`;
  return "(anonymous)";
}

const results = [];
for (const group of ["packages", "integrations"]) {
  for (const pkg of readdirSync(join(root, group))) {
    const src = join(root, group, pkg, "src");
    try {
      statSync(src);
    } catch {
      continue;
    }
    for (const path of sources(src)) {
      const text = readFileSync(path, "utf8");
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      const lineOf = (pos) => file.getLineAndCharacterOfPosition(pos).line;
      const visit = (node) => {
        if (isFunction(node) && node.body) {
          // The whole span, closures included: a set-up function that defines every route inline is as long
          // as all of them together.
          const lines = lineOf(node.body.getEnd()) - lineOf(node.body.getStart(file)) + 1;
          results.push({
            where: `${relative(root, path)}:${lineOf(node.getStart(file)) + 1}`,
            name: nameOf(node, file),
            lines,
          });
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
}

results.sort((a, b) => b.lines - a.lines);
const topIndex = process.argv.indexOf("--top");
if (topIndex > 0) {
  const n = Number(process.argv[topIndex + 1] ?? 20);
  for (const r of results.slice(0, n)) console.log(`${String(r.lines).padStart(5)}  ${r.name}  ${r.where}`);
}
const over = results.filter((r) => r.lines > LIMIT);
if (over.length > 0) {
  console.error(
    `check:sizes: ${over.length} function(s) over ${LIMIT} lines (split them into smaller units):`,
  );
  for (const r of over) console.error(`  ${r.lines} lines  ${r.name}  ${r.where}`);
  process.exit(1);
}
console.log(`check:sizes: ${results.length} functions, none over ${LIMIT} lines.`);
