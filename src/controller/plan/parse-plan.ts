import { parse as parseYaml } from "yaml";
import { KeelsonError } from "../../machinery/errors";
import { problemsOf } from "../../machinery/validation";
import { type UpgradePlan, upgradePlan } from "./plan-schema";
import { type ResolvedPlan, resolvePlan } from "./resolve-plan";

/** A plan as given (file or API object), checked whole: every problem named, or none. */
export function checkPlan(
  value: unknown,
  where: string,
): { plan: UpgradePlan; resolved: ResolvedPlan } {
  const parsed = upgradePlan.safeParse(value);
  if (!parsed.success) throw invalid(where, problemsOf(parsed.error));
  const { plan: resolved, problems } = resolvePlan(parsed.data.spec);
  if (problems.length > 0) throw invalid(where, problems);
  return { plan: parsed.data, resolved };
}

/** Reads a plan from YAML or JSON text. */
export function parsePlanText(text: string, where: string) {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new KeelsonError("invalidArgument", `${where}: not YAML: ${(error as Error).message}`);
  }
  return checkPlan(value, where);
}

function invalid(where: string, problems: string[]): KeelsonError {
  return new KeelsonError(
    "invalidArgument",
    `${where} is not a valid UpgradePlan:\n  ${problems.join("\n  ")}`,
    "a minimal plan needs apiVersion, kind, metadata.name and spec.image: see deploy/examples/",
  );
}
