// Rewrites the README's generated parts (the role table) from the code.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withRoleTable } from "../src/machinery/roles/role-table";

const path = join(import.meta.dirname, "../README.md");
writeFileSync(path, withRoleTable(readFileSync(path, "utf8")));
