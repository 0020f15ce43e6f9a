// The whole test suite, as CI and the README's second command run it:
// system packages the tests need, a fresh build, type check, lint, then every
// spec file under src/ and bench/ (the benchmarks' pure models) through node:test with tsx.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { installSystemPackages } from "./system-packages.mjs";

installSystemPackages();
run("node", ["scripts/build.mjs"]);
run("npx", ["tsc", "--noEmit"]);
run("npx", ["biome", "check", "."]);

const filter = process.argv.slice(2);
const specs = [...findSpecs("src"), ...findSpecs("bench")].filter(
  (f) => filter.length === 0 || filter.some((p) => f.includes(p)),
);
run("node", [
  "--import",
  "tsx",
  "--import",
  "./scripts/fast-check-report.mjs",
  "--test",
  "--test-concurrency=2",
  // Per spec file: the metal image upgraded in QEMU (five image builds, six boots under TCG) takes
  // 8-12 min here beside the other files; the fleet upgrade end to end 5-7 min.
  "--test-timeout=1200000",
  ...specs,
]);

function findSpecs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "gen" ? [] : findSpecs(path);
    return name.endsWith(".spec.ts") ? [path] : [];
  });
}

function run(command, args) {
  try {
    execFileSync(command, args, { stdio: "inherit" });
  } catch (error) {
    process.exit(error.status ?? 1);
  }
}
