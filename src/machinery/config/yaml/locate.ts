import { type Document, isMap, isSeq, type LineCounter, type Node } from "yaml";
import type { PathSegment } from "../schema/config-path";

export interface Position {
  line: number;
  column: number;
}

/**
 * Where `segments` is in the document: the key of the last map entry found
 * (so "mtu" points at `mtu:`), or the deepest node that exists when the path
 * goes further than the text does (a missing field points at its parent).
 */
export function locate(
  document: Document,
  segments: readonly PathSegment[],
  lineCounter: LineCounter,
): Position | undefined {
  let node: unknown = document.contents;
  let at: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of segments) {
    const next = child(node, segment);
    if (!next) break;
    node = next.value;
    at = next.anchor ?? at;
  }
  const offset = at?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function child(
  node: unknown,
  segment: PathSegment,
): { value: unknown; anchor: Node | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (p) => isNode(p.key) && String(scalarOf(p.key)) === String(segment),
    );
    if (!pair) return undefined;
    return { value: pair.value, anchor: isNode(pair.key) ? pair.key : undefined };
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    if (item === undefined) return undefined;
    return { value: item, anchor: isNode(item) ? item : undefined };
  }
  return undefined;
}

function scalarOf(node: Node): unknown {
  return "value" in node ? node.value : node.toJSON();
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value;
}
