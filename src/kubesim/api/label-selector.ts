import { badRequest } from "./status-error";

export type Operator = "In" | "NotIn" | "Exists" | "DoesNotExist" | "Equals" | "NotEquals";

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** A parsed selector; an empty list of requirements selects everything. */
export type Selector = Requirement[];

export function matchesLabels(
  selector: Selector,
  labels: Record<string, string> | undefined,
): boolean {
  for (const req of selector) if (!matchesRequirement(req, labels ?? {})) return false;
  return true;
}

function matchesRequirement(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Equals":
    case "In":
      return has && req.values.includes(value ?? "");
    case "NotEquals":
    case "NotIn":
      return !has || !req.values.includes(value ?? "");
  }
}

/** Parses the `labelSelector` query parameter (k8s.io/apimachinery/pkg/labels grammar). */
export function parseLabelSelector(text: string | null | undefined): Selector {
  const selector: Selector = [];
  if (!text) return selector;
  for (const term of splitTerms(text)) {
    const trimmed = term.trim();
    if (trimmed) selector.push(parseTerm(trimmed));
  }
  return selector;
}

/** Commas inside `in (a,b)` do not end a term. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const setTerm = /^([A-Za-z0-9._/-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const equalityTerm = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/;
const existsTerm = /^(!?)([A-Za-z0-9._/-]+)$/;

function parseTerm(term: string): Requirement {
  const set = setTerm.exec(term);
  if (set) {
    const values = (set[3] ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return { key: set[1] ?? "", operator: set[2] === "in" ? "In" : "NotIn", values };
  }
  const eq = equalityTerm.exec(term);
  if (eq) {
    return {
      key: eq[1] ?? "",
      operator: eq[2] === "!=" ? "NotEquals" : "Equals",
      values: [eq[3] ?? ""],
    };
  }
  const exists = existsTerm.exec(term);
  if (exists)
    return { key: exists[2] ?? "", operator: exists[1] ? "DoesNotExist" : "Exists", values: [] };
  throw badRequest(`unable to parse requirement: found '${term}', expected: valid label selector`);
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Converts a metav1.LabelSelector; `undefined` means the caller decides (nil selects nothing in most APIs). */
export function fromLabelSelectorObject(obj: LabelSelectorObject): Selector {
  const selector: Selector = [];
  for (const [key, value] of Object.entries(obj.matchLabels ?? {})) {
    selector.push({ key, operator: "In", values: [value] });
  }
  for (const expr of obj.matchExpressions ?? []) {
    const operator = expr.operator as Operator;
    if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(operator)) {
      throw badRequest(`${expr.operator} is not a valid label selector operator`);
    }
    selector.push({ key: expr.key, operator, values: expr.values ?? [] });
  }
  return selector;
}
