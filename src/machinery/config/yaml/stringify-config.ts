import { stringify } from "yaml";

/**
 * Multi-document YAML, one document per config kind. PEM blocks come out as
 * literal block scalars and nothing is folded, so a diff shows real changes.
 */
export function stringifyConfig(documents: readonly unknown[]): string {
  return documents
    .map((doc) =>
      stringify(doc, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false }),
    )
    .join("---\n");
}
