import { type NamedProcess, processesNaming } from "../machinery/linux/processes-naming";

export interface NodeTrace {
  stateDir: string;
  address: string;
}

/**
 * Processes that name a node's state directory or its address on their
 * command line: after the node powered off, every one is a leak. An
 * address matches only as a whole (127.0.9.1 is not 127.0.9.12).
 */
export function survivors(nodes: readonly NodeTrace[]): NamedProcess[] {
  const addressed = new RegExp(
    nodes.map((n) => `(^|[^\\d.])${n.address.replaceAll(".", "\\.")}($|[^\\d])`).join("|"),
  );
  const candidates = processesNaming(nodes.flatMap((n) => [n.stateDir, n.address]));
  return candidates.filter(
    (p) => nodes.some((n) => p.cmdline.includes(n.stateDir)) || addressed.test(p.cmdline),
  );
}

/** Fails listing every survivor, so a leak is named, not just counted. */
export function assertNoSurvivors(nodes: readonly NodeTrace[]): void {
  const left = survivors(nodes);
  if (left.length > 0)
    throw new Error(
      `processes outlived their node:\n${left.map((p) => `  ${p.pid} ${p.cmdline.slice(0, 200)}`).join("\n")}`,
    );
}
