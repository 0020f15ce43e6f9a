import { parseAllDocuments } from "yaml";
import { redactSecrets } from "../schema/redact-secrets";
import { stringifyConfig } from "../yaml/stringify-config";
import { type UnifiedDiffOptions, unifiedDiff } from "./unified-diff";

export interface DiffConfigsOptions extends UnifiedDiffOptions {
  /** Show secrets as "***" (for callers that may not see them). */
  redact?: boolean;
}

/**
 * A unified diff of two configs, given as text (kept as written, comments
 * included) or as documents. "" when they are the same.
 */
export function diffConfigs(
  before: string | readonly object[],
  after: string | readonly object[],
  options: DiffConfigsOptions = {},
): string {
  return unifiedDiff(render(before, options.redact), render(after, options.redact), {
    fromLabel: "a/config",
    toLabel: "b/config",
    ...options,
  });
}

function render(config: string | readonly object[], redact = false): string {
  if (typeof config !== "string") return stringifyConfig(redact ? redactSecrets(config) : config);
  if (!redact) return config;
  const docs = parseAllDocuments(config).map((d) => d.toJS() as object);
  return stringifyConfig(redactSecrets(docs));
}
