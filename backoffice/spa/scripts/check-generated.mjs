// Fails (exit 1) when src/api/schema.d.ts is not what `npm run generate` makes from
// openapi.json: regenerates into a temporary file and compares. CI runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SPEC = "openapi.json";
const COMMITTED = "src/api/schema.d.ts";

if (!existsSync(SPEC)) {
  console.error(`check-generated: ${SPEC} is missing; export it with ` +
    "`.venv/bin/python manage.py spectacular --settings shop.settings.backoffice --format " +
    "openapi-json --file backoffice/spa/openapi.json` (from the repository root), then run " +
    "`npm run generate` and commit both files");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "schema-"));
try {
  const fresh = join(dir, "schema.d.ts");
  const bin = join("node_modules", ".bin", process.platform === "win32" ? "openapi-typescript.cmd" : "openapi-typescript");
  const run = spawnSync(bin, [SPEC, "-o", fresh], { encoding: "utf8" });
  if (run.status !== 0) {
    console.error(`check-generated: openapi-typescript failed\n${run.stderr || run.stdout}`);
    process.exit(1);
  }
  const expected = readFileSync(fresh, "utf8").split("\n");
  const actual = existsSync(COMMITTED) ? readFileSync(COMMITTED, "utf8").split("\n") : [];
  const line = expected.findIndex((text, i) => text !== actual[i]);
  if (line === -1 && expected.length === actual.length) {
    console.log(`check-generated: ${COMMITTED} matches ${SPEC}`);
    process.exit(0);
  }
  const at = line === -1 ? Math.min(expected.length, actual.length) : line;
  console.error(`check-generated: ${COMMITTED} is stale (first difference at line ${at + 1}); ` +
    "run `npm run generate` and commit the result");
  console.error(`  generated: ${JSON.stringify(expected[at] ?? "<end of file>")}`);
  console.error(`  committed: ${JSON.stringify(actual[at] ?? "<end of file>")}`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
