/**
 * Writes the JSON Schemas to schemas/ (run with `npx tsx src/machinery/config/export-schemas.ts`).
 * They are checked in; a test fails when they drift from the zod schemas.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { jsonSchemas } from "./schema/json-schemas";

const dir = join(import.meta.dirname, "..", "..", "..", "schemas");
await mkdir(dir, { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemas())) {
  await writeFile(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote schemas/${file}\n`);
}
