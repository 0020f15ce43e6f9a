import { readFile } from "node:fs/promises";
import { KeelsonError } from "../../machinery/errors";

/** A config or patch argument: "@file", "-" for standard input, a file path, or inline YAML/JSON. */
export async function readInput(value: string): Promise<{ text: string; source: string }> {
  if (value === "-") return { text: await readStdin(), source: "standard input" };
  const path = value.startsWith("@") ? value.slice(1) : value;
  try {
    return { text: await readFile(path, "utf8"), source: path };
  } catch (error) {
    if (value.startsWith("@") || !/[:{\n[]/.test(value)) {
      throw new KeelsonError("notFound", `cannot read ${path}: ${(error as Error).message}`);
    }
    return { text: value, source: "inline patch" };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
