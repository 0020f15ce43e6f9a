import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { OciImage } from "../../../machinery/oci";
import { createCa, issue } from "../../../machinery/pki";

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  /** The CA that signed the registry's certificate. */
  ca: string;
  close: () => Promise<void>;
}

const token = "t0k3n";

/**
 * A tiny OCI registry on 127.0.0.1 with a self-signed CA: token auth
 * (Bearer challenge → /token), manifests by tag or digest, blobs served
 * through a redirect, as real registries do.
 */
export async function startTestRegistry(images: Record<string, OciImage>): Promise<TestRegistry> {
  const ca = await createCa("keelson test registry CA");
  const cert = await issue({ commonName: "registry", hosts: ["127.0.0.1"], usage: "server" }, ca);
  let host = "";
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const url = new URL(req.url ?? "/", `https://${host}`);
    if (url.pathname === "/token") return void res.end(JSON.stringify({ token }));
    const storage = url.pathname.match(/^\/storage\/(sha256:[0-9a-f]{64})$/);
    const blob = storage ? findBlob(images, storage[1]!) : undefined;
    if (blob) return void res.end(blob);
    const m = url.pathname.match(/^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/);
    if (!m) return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${token}`) {
      const challenge = `Bearer realm="https://${host}/token",service="test",scope="repository:${m[1]}:pull"`;
      return void res.writeHead(401, { "www-authenticate": challenge }).end();
    }
    const image =
      images[`${m[1]}:${m[3]}`] ?? Object.values(images).find((i) => i.blobs.has(m[3]!));
    if (!image) return void res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    if (m[2] === "blobs") return void res.writeHead(307, { location: `/storage/${m[3]}` }).end();
    res.writeHead(200, { "content-type": image.manifest.mediaType });
    res.end(image.blobs.get(image.manifest.digest));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    ca: ca.cert,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function findBlob(images: Record<string, OciImage>, digest: string): Buffer | undefined {
  for (const image of Object.values(images)) {
    const blob = image.blobs.get(digest);
    if (blob) return blob;
  }
  return undefined;
}
