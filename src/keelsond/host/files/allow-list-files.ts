import type { MessageInitShape } from "@bufbuild/protobuf";
import type { FileInfoSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../../../machinery/errors";
import type { HostFiles } from "../host";
import { listTree } from "./list-tree";
import { PathPolicy } from "./path-policy";
import { openRegularFile, readChunks, tooLarge } from "./read-file";

export interface AllowListFilesLimits {
  /** Largest file one read() returns; larger ones fail with resourceExhausted. */
  maxReadBytes?: number;
  /** Deepest list() depth accepted. */
  maxDepth?: number;
  /** Most entries one list() yields before failing with resourceExhausted. */
  maxEntries?: number;
}

const defaults = { maxReadBytes: 64 * 1024 * 1024, maxDepth: 8, maxEntries: 100_000 };

/**
 * HostFiles confined to allowed roots (see PathPolicy). Aborting the signal
 * ends a stream early without an error: the client has gone.
 */
export class AllowListFiles implements HostFiles {
  private readonly policy: PathPolicy;
  private readonly limits: Required<AllowListFilesLimits>;

  constructor(roots: readonly string[], limits: AllowListFilesLimits = {}) {
    this.policy = new PathPolicy(roots);
    this.limits = { ...defaults, ...limits };
  }

  get roots(): readonly string[] {
    return this.policy.roots;
  }

  async *read(path: string, signal: AbortSignal): AsyncGenerator<Uint8Array> {
    const real = await this.policy.resolve(path);
    const { handle, size } = await openRegularFile(real, path, this.policy);
    try {
      if (size > this.limits.maxReadBytes) throw tooLarge(path, this.limits.maxReadBytes);
      yield* readChunks(handle, path, this.limits.maxReadBytes, signal);
    } catch (error) {
      throw KeelsonError.from(error);
    } finally {
      await handle.close();
    }
  }

  async *list(
    path: string,
    depth: number,
    signal: AbortSignal,
  ): AsyncGenerator<MessageInitShape<typeof FileInfoSchema>> {
    if (!Number.isInteger(depth) || depth < 0 || depth > this.limits.maxDepth) {
      throw new KeelsonError(
        "invalidArgument",
        `depth ${depth} is out of range`,
        `use a depth from 0 to ${this.limits.maxDepth}`,
      );
    }
    const real = await this.policy.resolve(path);
    yield* listTree(real, depth, {
      policy: this.policy,
      maxEntries: this.limits.maxEntries,
      signal,
    });
  }
}
