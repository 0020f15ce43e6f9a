export { checkPlan, parsePlanText } from "./parse-plan";
export {
  type LabelSelector,
  planApiVersion,
  planGroup,
  planVersion,
  type UpgradePlan,
  upgradePlan,
} from "./plan-schema";
export type { ResolvedPlan } from "./resolve-plan";
