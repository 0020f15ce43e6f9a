import { KeelsonError } from "../../machinery/errors";

interface Node {
  id: string;
  dependsOn?: readonly string[];
}

/**
 * Orders services so each comes after everything it depends on. An unknown
 * dependency or a cycle is an error naming the services involved: the set is
 * fixed by the OS, so this is a build mistake, caught at start.
 */
export function dependencyOrder<T extends Node>(specs: readonly T[]): T[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const order: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (spec: T, path: string[]): void => {
    if (state.get(spec.id) === "done") return;
    if (state.get(spec.id) === "visiting") {
      throw new KeelsonError(
        "invalidArgument",
        `service dependency cycle: ${[...path, spec.id].join(" → ")}`,
      );
    }
    state.set(spec.id, "visiting");
    for (const dep of spec.dependsOn ?? []) {
      const target = byId.get(dep);
      if (!target) {
        throw new KeelsonError(
          "invalidArgument",
          `service ${spec.id} depends on unknown service ${dep}`,
        );
      }
      visit(target, [...path, spec.id]);
    }
    state.set(spec.id, "done");
    order.push(spec);
  };
  for (const spec of specs) visit(spec, []);
  return order;
}
