// Bundles each program under dist/: fast start (few files to load) and
// `npx keelctl` works from the repository after `npm ci`. Code split into
// chunks so what a program loads on demand (certificate issuance, say) is not
// even parsed at start: the agent's memory target depends on it.
import { chmod, cp, rm } from "node:fs/promises";
import { build } from "esbuild";

const programs = {
  keelctl: "src/keelctl/main.ts",
  keelsond: "src/keelsond/main.ts",
  "keelson-machine": "src/provisioners/process/machine/machine-main.ts",
  kubesim: "src/kubesim/main.ts",
  "keelson-controller": "src/controller/main.ts",
};

// CommonJS dependencies call require(); give the ESM bundle one.
const banner = [
  "#!/usr/bin/env node",
  'import { createRequire as __keelsonCreateRequire } from "node:module";',
  "const require = __keelsonCreateRequire(import.meta.url);",
].join("\n");

// No clean first: running agents load chunks lazily (certificate issuance,
// config validation), so a rebuild must never delete a chunk they may still
// import. Chunk names are content hashes: old ones are inert.

await build({
  entryPoints: programs,
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Minified: V8 keeps every loaded module's source in the heap (about 1 MiB
  // of the agent's), and parses less at start. Stack traces map back to the
  // sources through the linked source maps (node --enable-source-maps).
  minify: true,
  sourcemap: "linked",
  banner: { js: banner },
  logLevel: "warning",
});
await Promise.all(Object.keys(programs).map((name) => chmod(`dist/${name}.mjs`, 0o755)));
// The metal image's init is C, compiled by the image builder (gcc -static) from this copy.
await rm("dist/keelson-init.c", { force: true });
await cp("src/provisioners/image/metal/init", "dist/keelson-init", {
  recursive: true,
  force: true,
});
