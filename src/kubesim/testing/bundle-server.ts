import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type BundleKey, writeBundle } from "../../machinery/bundle";

export interface BundleServer {
  /** Writes a tiny signed bundle of `version` and says where the nodes fetch it and its digest. */
  bundle(version: string): Promise<{ url: string; sha256: string }>;
  close(): void;
}

/** Signed upgrade bundles served over HTTP from `dir`, as a release server serves them to nodes. */
export async function startBundleServer(dir: string, key: BundleKey): Promise<BundleServer> {
  const http = createServer(async (req, res) => {
    res.end(await readFile(join(dir, req.url ?? "")).catch(() => ""));
  });
  http.listen(0, "127.0.0.1");
  await new Promise((resolve) => http.once("listening", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    async bundle(version) {
      const file = join(dir, `${version}.bundle`);
      const payload = join(dir, `${version}.txt`);
      await writeFile(payload, `image ${version}\n`);
      await writeBundle(
        file,
        { version, arch: "amd64", target: "process", minUpgradeFrom: "0.0.0" },
        [{ path: "agent.txt", source: payload }],
        key,
      );
      const sha256 = createHash("sha256")
        .update(await readFile(file))
        .digest("hex");
      return { url: `${base}/${version}.bundle`, sha256 };
    },
    close: () => http.close(),
  };
}
