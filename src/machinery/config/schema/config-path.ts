/** A location inside one document: map keys and list indexes, outermost first. */
export type PathSegment = string | number;

/** A named list item as shown to people: `interfaces[name=eth0]`. */
export interface NamedItem {
  key: string;
  name: string;
}

const plainKey = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `["machine","network","interfaces",0,"mtu"]` → `machine.network.interfaces[0].mtu`. */
export function formatPath(segments: readonly (PathSegment | NamedItem)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "object") out += `[${segment.key}=${segment.name}]`;
    else if (typeof segment === "number") out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || "(document)";
}

/**
 * The path with list indexes erased (`machine.network.interfaces[].routes`):
 * the form the merge-key and change tables are written in.
 */
export function pathPattern(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, i) => (typeof segment === "number" ? "[]" : i === 0 ? segment : `.${segment}`))
    .join("");
}
