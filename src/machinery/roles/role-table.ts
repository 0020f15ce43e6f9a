import { roles } from "./roles";
import { rpcRoles } from "./rpc-roles";

/** What the README says about each role, beside the calls the table gives it. */
const notes: Record<(typeof roles)[number], string> = {
  "os:admin": "every call, including any not in the table",
  "os:operator": "inspection plus power, images and etcd maintenance",
  "os:reader": "inspection, services, logs, events: no file access, no secrets",
  "os:etcd:backup": "etcd status and snapshots",
  "os:upgrader": "least privilege for upgrade automation",
};

export const roleTableStart =
  "<!-- role table: generated from src/machinery/roles/rpc-roles.ts -->";
export const roleTableEnd = "<!-- end of role table -->";

/** The README's role table, generated from `rpcRoles` so the two cannot disagree. */
export function roleTableMarkdown(): string {
  const rows = roles.map((role) => {
    const calls = Object.entries(rpcRoles)
      .filter(([, allowed]) => allowed.includes(role))
      .map(([procedure]) => procedure.split("/")[1]);
    const may = role === "os:admin" ? "everything" : calls.join(", ");
    return `| \`${role}\` | ${notes[role]} | ${may} |`;
  });
  return [
    roleTableStart,
    "",
    "| role | for | may call |",
    "| ---- | --- | -------- |",
    ...rows,
    "",
    roleTableEnd,
  ].join("\n");
}

/** `readme` with its role table replaced by the generated one. */
export function withRoleTable(readme: string): string {
  const start = readme.indexOf(roleTableStart);
  const end = readme.indexOf(roleTableEnd);
  if (start < 0 || end < start) return readme;
  return readme.slice(0, start) + roleTableMarkdown() + readme.slice(end + roleTableEnd.length);
}
