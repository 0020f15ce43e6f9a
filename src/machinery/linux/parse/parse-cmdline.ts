/**
 * /proc/<pid>/cmdline: arguments separated (and usually ended) by NUL. Kernel
 * threads and zombies have none.
 */
export function parseCmdline(text: string): string[] {
  if (text === "") return [];
  const args = text.split("\0");
  if (args.at(-1) === "") args.pop();
  return args;
}
