import type * as z from "zod/mini";
import type { PathSegment } from "./config-path";

type Def = {
  type: string;
  innerType?: z.ZodMiniType;
  shape?: Record<string, z.ZodMiniType>;
  element?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
};

const defOf = (schema: z.ZodMiniType): Def => schema._zod.def as unknown as Def;

/** Strips wrappers (optional, default, nullable) that do not change the shape. */
export function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  let current = schema;
  for (let def = defOf(current); def.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

/** The schema of one step down: a field of an object, an item of a list, a value of a map. */
export function childSchema(
  schema: z.ZodMiniType,
  segment: PathSegment,
): z.ZodMiniType | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === "object") return typeof segment === "string" ? def.shape?.[segment] : undefined;
  if (def.type === "array") return typeof segment === "number" ? def.element : undefined;
  if (def.type === "record") return def.valueType;
  return undefined;
}

export function schemaAt(
  schema: z.ZodMiniType,
  segments: readonly PathSegment[],
): z.ZodMiniType | undefined {
  let current: z.ZodMiniType | undefined = schema;
  for (const segment of segments) current = current && childSchema(current, segment);
  return current;
}

/** The declared fields of the object at this schema, for "unknown field" messages. */
export function fieldsOf(schema: z.ZodMiniType | undefined): string[] {
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}
