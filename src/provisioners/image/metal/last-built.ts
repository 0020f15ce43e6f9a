import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { KeelsonError } from "../../../machinery/errors";
import { keelsonHome } from "../../../machinery/platform/keelson-home";

/** The metal image `keelctl image build` made last: what `cluster create --provisioner qemu` boots by default. */
export interface BuiltImage {
  disk: string;
  bundle: string;
  version: string;
}

const recordPath = () => join(keelsonHome(), "images", "metal-last.json");

export function rememberBuilt(image: BuiltImage): void {
  mkdirSync(dirname(recordPath()), { recursive: true });
  const record = { ...image, disk: resolve(image.disk), bundle: resolve(image.bundle) };
  writeFileSync(recordPath(), `${JSON.stringify(record, null, 2)}\n`);
}

export function lastBuilt(): BuiltImage {
  const hint =
    "build one first (npx keelctl image build --target metal --version 0.1.0 --output-dir out/), or name a disk with --image";
  let record: BuiltImage;
  try {
    record = JSON.parse(readFileSync(recordPath(), "utf8")) as BuiltImage;
  } catch {
    throw new KeelsonError("failedPrecondition", "no metal image has been built yet", hint);
  }
  if (!existsSync(record.disk))
    throw new KeelsonError(
      "failedPrecondition",
      `the image built last, ${record.disk}, is gone`,
      hint,
    );
  return record;
}
