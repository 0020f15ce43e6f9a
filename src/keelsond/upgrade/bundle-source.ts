import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { access, constants, rm } from "node:fs/promises";
import { get as httpGet, type IncomingMessage } from "node:http";
import { get as httpsGet } from "node:https";
import { join } from "node:path";
import { KeelsonError } from "../../machinery/errors";

export type BundleSourceRequest =
  | { kind: "path"; path: string }
  | { kind: "url"; url: string; sha256: string }
  | { kind: "upload"; file: string };

/** A download that sends nothing for this long has stalled. */
export const defaultStallMs = 30_000;

/**
 * Makes the bundle a local file to read twice (verify, then write) without
 * holding it in memory: a path the node can read is used as it is, an
 * upload is already a file, and a URL is downloaded to `spoolDir` with the
 * digest the caller pinned checked at the end.
 */
export async function localBundle(
  source: BundleSourceRequest,
  spoolDir: string,
  onBytes: (done: number, total: number) => void,
  signal: AbortSignal,
  stallMs = defaultStallMs,
): Promise<{ path: string; cleanup(): Promise<void> }> {
  if (source.kind === "upload") return { path: source.file, cleanup: async () => {} };
  if (source.kind === "path") {
    await access(source.path, constants.R_OK).catch(() => {
      throw new KeelsonError(
        "notFound",
        `the node cannot read ${source.path}`,
        "give a path on the node, a URL, or a local file keelctl uploads",
      );
    });
    return { path: source.path, cleanup: async () => {} };
  }
  if (!/^[0-9a-f]{64}$/.test(source.sha256))
    throw new KeelsonError(
      "invalidArgument",
      "a bundle fetched from a URL needs its sha256 pinned (64 hex digits)",
      "pass --sha256 with the digest of the bundle file",
    );
  mkdirSync(spoolDir, { recursive: true });
  const path = join(spoolDir, "download.bundle");
  try {
    await download(source.url, path, source.sha256, { onBytes, signal, stallMs });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, cleanup: () => rm(path, { force: true }) };
}

interface DownloadOptions {
  onBytes: (done: number, total: number) => void;
  signal: AbortSignal;
  stallMs: number;
}

function download(
  url: string,
  path: string,
  sha256: string,
  options: DownloadOptions,
): Promise<void> {
  const { onBytes, signal, stallMs } = options;
  const get = url.startsWith("https://")
    ? httpsGet
    : url.startsWith("http://")
      ? httpGet
      : undefined;
  if (!get)
    throw new KeelsonError("invalidArgument", `unsupported URL ${url}: only http and https`);
  return new Promise((resolve, reject) => {
    const fail = (error: KeelsonError) => {
      request.destroy();
      reject(error);
    };
    const request = get(url, { signal }, (res: IncomingMessage) => {
      request.setTimeout(0);
      if (res.statusCode !== 200) {
        res.resume();
        return fail(new KeelsonError("unavailable", `fetching ${url}: HTTP ${res.statusCode}`));
      }
      const total = Number(res.headers["content-length"] ?? 0);
      const hash = createHash("sha256");
      const out = createWriteStream(path);
      let done = 0;
      let stall = setTimeout(() => fail(stalled(url, done, stallMs)), stallMs);
      res.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        done += chunk.length;
        onBytes(done, total);
        clearTimeout(stall);
        stall = setTimeout(() => fail(stalled(url, done, stallMs)), stallMs);
      });
      res.on("error", (error) =>
        fail(
          new KeelsonError(
            "unavailable",
            `fetching ${url}: the download broke off after ${done} of ${total || "?"} bytes (${error.message})`,
            "fetch it again",
          ),
        ),
      );
      res.pipe(out);
      out.on("error", (error) => fail(KeelsonError.from(error)));
      out.on("finish", () => {
        clearTimeout(stall);
        if (total && done !== total)
          return reject(
            new KeelsonError(
              "unavailable",
              `fetching ${url}: truncated at ${done} of ${total} bytes`,
              "fetch it again",
            ),
          );
        const digest = hash.digest("hex");
        if (digest !== sha256)
          return reject(
            new KeelsonError(
              "invalidArgument",
              `the bundle at ${url} has sha256 ${digest}, not the pinned ${sha256}`,
            ),
          );
        resolve();
      });
    });
    // Covers a server that never answers at all; the body's own stalls are timed above.
    request.setTimeout(stallMs, () => fail(noAnswer(url, stallMs)));
    request.on("error", (error) =>
      reject(new KeelsonError("unavailable", `fetching ${url}: ${error.message}`)),
    );
  });
}

function noAnswer(url: string, stallMs: number): KeelsonError {
  return new KeelsonError(
    "deadlineExceeded",
    `fetching ${url}: no answer within ${stallMs / 1000} s`,
    "check the server, then try again",
  );
}

function stalled(url: string, done: number, stallMs: number): KeelsonError {
  return new KeelsonError(
    "deadlineExceeded",
    `fetching ${url} stalled: nothing for ${stallMs / 1000} s after ${done} bytes`,
    "check the server, then try again",
  );
}
