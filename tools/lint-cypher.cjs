// Lints every Cypher file with Neo4j's own language support (the parser Neo4j's tools use).
// Fails on any error or warning (deprecations are warnings). FalkorDB-only files are skipped.
// Usage: node tools/lint-cypher.cjs [root]   (default: cypher/)
const fs = require('fs');
const path = require('path');
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

const root = process.argv[2] || 'cypher';
const SKIP = new Set([path.join('schema', 'falkordb.cypher')]);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.name.endsWith('.cypher') ? [full] : [];
  });
}

let problems = 0;
let files = 0;
for (const file of walk(root).sort()) {
  if (SKIP.has(path.relative(root, file))) continue;
  files += 1;
  const text = fs.readFileSync(file, 'utf8');
  // Parameters are supplied by the caller at run time: declare every $name the file uses.
  const parameters = {};
  for (const m of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) parameters[m[1]] = '';
  const { diagnostics } = lintCypherQuery(text, { parameters }, { consoleCommandsEnabled: false });
  for (const d of diagnostics) {
    problems += 1;
    const kind = d.severity === 1 ? 'error' : 'warning';
    const line = (d.range && d.range.start ? d.range.start.line : 0) + 1;
    console.log(`${file}:${line}: ${kind}: ${d.message.replace(/\s+/g, ' ')}`);
  }
}
console.log(`cypher lint: ${files} files, ${problems} problems`);
process.exit(problems ? 1 : 0);
