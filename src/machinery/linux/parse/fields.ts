import { KeelsonError } from "../../errors";
import { malformed } from "./malformed";

/** Parses a base-10 unsigned integer, rejecting anything Number() would quietly accept. */
export function parseUnsigned(text: string | undefined, source: string): number {
  if (text === undefined || !/^\d{1,15}$/.test(text)) {
    throw malformed(source, `expected an unsigned integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Like parseUnsigned, but allows a leading minus (the kernel prints -1 for "none"). */
export function parseSigned(text: string | undefined, source: string): number {
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) {
    throw malformed(source, `expected an integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function parseDecimal(text: string | undefined, source: string): number {
  if (text === undefined || !/^\d{1,15}(\.\d{1,15})?$/.test(text)) {
    throw malformed(source, `expected a decimal number, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** Splits on runs of blanks, dropping the empty strings at either end. */
export function fields(line: string): string[] {
  return line.split(/[ \t]+/).filter((f) => f !== "");
}

/**
 * Parses every line that parses, skipping those that do not: one garbled or
 * unforeseen line must not hide the rest of the file. Only parse failures
 * are skipped; a bug (TypeError) still surfaces.
 */
export function parseEachLine<T>(text: string, parseLine: (parts: string[]) => T | undefined): T[] {
  const results: T[] = [];
  for (const line of text.split("\n")) {
    try {
      const result = parseLine(fields(line));
      if (result !== undefined) results.push(result);
    } catch (error) {
      if (!(error instanceof KeelsonError)) throw error;
    }
  }
  return results;
}
