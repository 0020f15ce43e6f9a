import type * as z from "zod/mini";
import { type ConfigDocument, configKinds, isConfigKind, knownKinds } from "../schema/kinds";
import { checkSchema } from "./check-schema";
import { type Problem, problem } from "./problem";

export interface CheckedDocument {
  problems: Problem[];
  /** Set when the document matched its kind's schema. */
  config?: ConfigDocument;
}

/** Checks one document against the schema its `kind` names; unknown kinds are problems. */
export function checkDocument(value: unknown, document: number): CheckedDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [problem([], "expected a map with apiVersion and kind", { document })] };
  }
  const kind = (value as { kind?: unknown }).kind;
  if (!isConfigKind(kind)) {
    const expected = `expected one of ${knownKinds.join(", ")}`;
    const message =
      kind === undefined
        ? `missing kind (${expected})`
        : `unknown kind ${JSON.stringify(kind)} (${expected})`;
    return { problems: [problem(["kind"], message, { document })] };
  }
  const schema: z.ZodMiniType = configKinds[kind].schema;
  const { data, problems } = checkSchema(schema, value, document);
  return data === undefined ? { problems } : { problems, config: data as ConfigDocument };
}
