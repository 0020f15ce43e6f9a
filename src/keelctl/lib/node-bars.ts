import pc from "picocolors";

/** One node's line: what phase it is in, how far, and what it says. */
export interface BarState {
  phase: string;
  percent?: number;
  message: string;
  /** Finished: ok or failed. */
  done?: "ok" | "failed";
}

const width = 24;

/**
 * A live progress bar per node on stderr: on a terminal the block of lines
 * is redrawn in place; elsewhere (CI logs) each change of phase is one line.
 */
export function nodeBars(nodes: readonly string[]) {
  const tty = process.stderr.isTTY === true;
  const states = new Map<string, BarState>(
    nodes.map((n) => [n, { phase: "waiting", message: "" }]),
  );
  const pad = Math.max(...nodes.map((n) => n.length), 4);
  let drawn = 0;
  const mark = (s: BarState) =>
    s.done === "ok" ? pc.green("✓") : s.done === "failed" ? pc.red("✗") : pc.cyan("•");
  /** A log has no use for a bar caught at the start of its phase: phase and message only. */
  const logLine = (node: string, s: BarState) =>
    `${mark(s)} ${node.padEnd(pad)} ${s.phase.padEnd(9)} ${s.message}`;
  const line = (node: string, s: BarState) => {
    const filled = Math.round(((s.percent ?? 0) / 100) * width);
    const bar =
      s.percent === undefined
        ? " ".repeat(width)
        : `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const pct = s.percent === undefined ? "    " : `${String(s.percent).padStart(3)}%`;
    return `${mark(s)} ${node.padEnd(pad)} ${bar} ${pct} ${s.phase.padEnd(9)} ${s.message}`;
  };
  const draw = () => {
    if (drawn > 0) process.stderr.write(`\x1b[${drawn}A`);
    for (const [node, s] of states) process.stderr.write(`\x1b[2K${line(node, s)}\n`);
    drawn = states.size;
  };
  const timer = tty ? setInterval(draw, 200) : undefined;
  timer?.unref();
  return {
    update(node: string, next: BarState): void {
      const before = states.get(node);
      states.set(node, next);
      if (tty) return;
      if (before?.phase !== next.phase || before?.done !== next.done)
        process.stderr.write(`${logLine(node, next)}\n`);
    },
    stop(): void {
      clearInterval(timer);
      if (tty) draw();
    },
  };
}
