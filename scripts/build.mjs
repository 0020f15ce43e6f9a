// Bundles each program into one file under dist/: fast start (one file to
// load) and `npx keelctl` works from the repository after `npm ci`.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

const programs = {
  keelctl: "src/keelctl/main.ts",
  keelsond: "src/keelsond/main.ts",
  "keelson-machine": "src/provisioners/process/machine-main.ts",
};

// CommonJS dependencies call require(); give the ESM bundle one.
const banner = [
  "#!/usr/bin/env node",
  'import { createRequire as __keelsonCreateRequire } from "node:module";',
  "const require = __keelsonCreateRequire(import.meta.url);",
].join("\n");

await Promise.all(
  Object.entries(programs).map(async ([name, entry]) => {
    const outfile = `dist/${name}.mjs`;
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      minifySyntax: true,
      sourcemap: "linked",
      banner: { js: banner },
      logLevel: "warning",
    });
    await chmod(outfile, 0o755);
  }),
);
