import { realpath } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

/** PATH_MAX on Linux; longer paths cannot be opened anyway. */
export const MAX_PATH_BYTES = 4096;

/**
 * Which paths the file RPCs may touch: those whose real path, every symlink
 * resolved, lies inside an allowed root. A path is checked twice: lexically
 * first, so nothing outside the roots is ever looked up (a missing file
 * outside reads as denied, not as absent), then by its real path.
 */
export class PathPolicy {
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    if (roots.length === 0) {
      throw new KeelsonError("invalidArgument", "the file allow-list needs at least one root");
    }
    this.roots = roots.map((root) => resolve(checkSyntax(root)));
  }

  /** The real path of `input`, or a KeelsonError saying why it may not be used. */
  async resolve(input: string): Promise<string> {
    checkSyntax(input);
    if (!this.roots.some((root) => isWithin(resolve(input), root))) throw this.denied(input);
    const real = await realpathOf(input);
    if (!(await this.admits(real))) throw this.denied(input);
    return real;
  }

  /** Whether a real path lies inside a root; roots are resolved too, as they may be symlinks. */
  async admits(real: string): Promise<boolean> {
    const roots = await Promise.all(this.roots.map((root) => realpath(root).catch(() => "")));
    return roots.some((root) => root !== "" && isWithin(real, root));
  }

  denied(input: string): KeelsonError {
    return new KeelsonError(
      "permissionDenied",
      `${JSON.stringify(input)} is outside the paths this node allows`,
      `allowed roots: ${this.roots.join(", ")}`,
    );
  }
}

/** Segment-aware containment: root /proc admits /proc/1 but not /procx. */
export function isWithin(candidate: string, root: string): boolean {
  if (root === "/") return candidate.startsWith("/");
  return candidate === root || candidate.startsWith(`${root}/`);
}

function checkSyntax(input: string): string {
  const reject = (why: string) => new KeelsonError("invalidArgument", why);
  if (typeof input !== "string") throw reject("the path must be a string");
  if (input.includes("\0")) throw reject("the path contains a NUL byte");
  const bytes = Buffer.byteLength(input);
  if (bytes > MAX_PATH_BYTES) throw reject(`the path is ${bytes} bytes, over ${MAX_PATH_BYTES}`);
  if (!isAbsolute(input)) throw reject(`${JSON.stringify(input)} is not an absolute path`);
  return input;
}

async function realpathOf(input: string): Promise<string> {
  try {
    return await realpath(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new KeelsonError("notFound", `${JSON.stringify(input)} does not exist`);
    }
    if (code === "ELOOP") {
      throw new KeelsonError("invalidArgument", `${JSON.stringify(input)} has a symlink loop`);
    }
    throw KeelsonError.from(error);
  }
}
