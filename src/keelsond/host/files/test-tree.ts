import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp tree for the confinement specs: an allowed root full of symlinks that try to escape. */
export interface TestTree {
  base: string;
  root: string;
  remove(): void;
}

export function makeTestTree(): TestTree {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "keelson-host-")));
  const root = join(base, "root");
  mkdirSync(join(root, "sub", "deeper"), { recursive: true });
  mkdirSync(join(base, "outside"));
  mkdirSync(join(base, "rootx"));
  writeFileSync(join(root, "file.txt"), "inside\n");
  writeFileSync(join(root, "sub", "inner.txt"), "inner\n");
  writeFileSync(join(base, "outside", "secret.txt"), "secret\n");
  writeFileSync(join(base, "rootx", "secret.txt"), "sibling\n");
  symlinkSync("..", join(root, "up"));
  symlinkSync("../outside", join(root, "out"));
  symlinkSync(join(base, "outside", "secret.txt"), join(root, "secret-link"));
  symlinkSync("/etc", join(root, "abs"));
  symlinkSync(".", join(root, "self"));
  symlinkSync("loop", join(root, "loop"));
  symlinkSync("sub", join(root, "inside"));
  symlinkSync("missing", join(root, "dangling"));
  return { base, root, remove: () => rmSync(base, { recursive: true, force: true }) };
}
