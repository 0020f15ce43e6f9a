import pc from "picocolors";

/**
 * Live status of a multi-node operation on stderr: one redrawn line on a
 * terminal, one line per change otherwise (CI logs), so users always see progress.
 */
export function progressReporter(title: string, total: number) {
  const states = new Map<string, string>();
  const tty = process.stderr.isTTY;
  const started = Date.now();
  const draw = () => {
    const ready = [...states.values()].filter((s) => s === "ready").length;
    const width = 20;
    const filled = Math.round((ready / Math.max(total, 1)) * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`\r${pc.cyan(title)} ${bar} ${ready}/${total} ready (${secs}s)`);
  };
  const timer = tty ? setInterval(draw, 100) : undefined;
  return {
    update: (node: string, state: string) => {
      states.set(node, state);
      if (tty) draw();
      else process.stderr.write(`${title}: ${node} ${state}\n`);
    },
    done: () => {
      clearInterval(timer);
      if (tty) {
        draw();
        process.stderr.write("\n");
      }
    },
  };
}
