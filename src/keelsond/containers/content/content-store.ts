import { randomUUID } from "node:crypto";
import type { Descriptor } from "../../../machinery/oci";
import type { CallContext, Containerd } from "../containerd/containerd";
import { found, unless } from "../containerd/error-checks";
import { WriteAction } from "../containerd/gen/github.com/containerd/containerd/api/services/content/v1/content_pb";

const chunkBytes = 1024 * 1024;
/** Blobs can be large: writes and reads get this long unless the caller says otherwise. */
const transferDeadlineMs = 120_000;

/** Whether containerd's content store holds `digest` (in the context's namespace). */
export function hasBlob(cd: Containerd, context: CallContext, digest: string): Promise<boolean> {
  return found(cd.call(`content info ${digest}`, (s, o) => s.content.info({ digest }, o), context));
}

/**
 * Stores a blob unless it is already there; containerd verifies the digest on
 * commit. Each write has its own ref, so concurrent writers never lock each other.
 */
export async function writeBlob(
  cd: Containerd,
  context: CallContext,
  descriptor: Descriptor,
  data: Buffer,
  labels: Record<string, string> = {},
): Promise<void> {
  if (await hasBlob(cd, context, descriptor.digest)) {
    if (Object.keys(labels).length > 0) await setBlobLabels(cd, context, descriptor.digest, labels);
    return;
  }
  const ref = `keelson-${randomUUID()}`;
  const total = BigInt(data.length);
  const expected = descriptor.digest;
  async function* requests() {
    for (let offset = 0; offset < data.length; offset += chunkBytes) {
      const chunk = data.subarray(offset, offset + chunkBytes);
      yield {
        action: WriteAction.WRITE,
        ref,
        total,
        expected,
        offset: BigInt(offset),
        data: chunk,
      };
    }
    yield { action: WriteAction.COMMIT, ref, total, expected, offset: total, labels };
  }
  const what = `write content ${expected}`;
  const deadlineMs = context.deadlineMs ?? transferDeadlineMs;
  const write = cd.call(
    what,
    async (s, o) => {
      for await (const _ of s.content.write(requests(), o)) {
        // One response per request; the stream ends after the commit.
      }
    },
    { ...context, deadlineMs },
  );
  // Another writer committed the same blob first: just as good.
  await unless("alreadyExists", write);
}

/** Merges labels into a stored blob's labels (garbage collection references, mostly). */
export async function setBlobLabels(
  cd: Containerd,
  context: CallContext,
  digest: string,
  labels: Record<string, string>,
): Promise<void> {
  const paths = Object.keys(labels).map((key) => `labels.${key}`);
  await cd.call(
    `label content ${digest}`,
    (s, o) => s.content.update({ info: { digest, labels }, updateMask: { paths } }, o),
    context,
  );
}

/** Reads a whole blob; meant for manifests and configs, which are small. */
export async function readBlob(
  cd: Containerd,
  context: CallContext,
  digest: string,
): Promise<Buffer> {
  const deadlineMs = context.deadlineMs ?? transferDeadlineMs;
  return cd.call(
    `read content ${digest}`,
    async (s, o) => {
      const parts: Buffer[] = [];
      for await (const part of s.content.read({ digest }, o)) parts.push(Buffer.from(part.data));
      return Buffer.concat(parts);
    },
    { ...context, deadlineMs },
  );
}
