import { parse } from "@bufbuild/cel";
import { parseGoDuration } from "../../machinery/duration";
import type { CelCheck, LabelSelector, PlanSpec, Window } from "./plan-schema";

/** A plan's spec with every default filled in and durations in milliseconds. */
export interface ResolvedPlan {
  image: string;
  sha256?: string;
  kubernetesVersion?: string;
  nodeSelector: LabelSelector;
  maxUnavailable: number | string;
  criticalMaxUnavailable: number | string;
  critical: boolean;
  windows: Window[];
  deadline?: number;
  canary: { enabled: boolean; soakMs: number };
  tries: number;
  drain: {
    timeoutMs: number;
    gracePeriodSeconds?: number;
    deleteEmptyDirData: boolean;
    ignoreDaemonSets: boolean;
    force: boolean;
    podSelector?: LabelSelector;
    onTimeout: "halt" | "skip-node" | "force";
  };
  healthChecks: {
    cel: CelCheck[];
    podsReady?: { namespace?: string; selector: LabelSelector };
    prometheus?: { url: string; query: string };
    timeoutMs: number;
  };
  soakMs: number;
  onFailure: "halt" | "continue";
  maxFailures: number;
  paused: boolean;
}

const ms = (text: string | undefined, fallback: string) =>
  Math.round(parseGoDuration(text ?? fallback, "") / 1e6);

/**
 * Fills in the safe defaults: one node at a time, a canary that soaks 5 min,
 * drains that give up after 10 min and halt, DaemonSets ignored, halt on the
 * first failure. Returns the problems the schema cannot see (a budget of
 * zero, a window longer than a day, a CEL expression that does not compile).
 */
export function resolvePlan(spec: PlanSpec): { plan: ResolvedPlan; problems: string[] } {
  const problems: string[] = [];
  const maxUnavailable = spec.maxUnavailable ?? 1;
  if (maxUnavailable === 0 || maxUnavailable === "0%")
    problems.push(
      "spec.maxUnavailable: 0 would never upgrade a node: use paused: true to hold a plan",
    );
  (spec.windows ?? []).forEach((w, i) => {
    if (w.duration && parseGoDuration(w.duration, "") > 24 * 3600e9)
      problems.push(`spec.windows.${i}.duration: at most 24h (repeat the window on more days)`);
    if (w.duration && parseGoDuration(w.duration, "") <= 0)
      problems.push(`spec.windows.${i}.duration: must be longer than 0s`);
  });
  (spec.healthChecks?.cel ?? []).forEach((check, i) => {
    try {
      parse(check.expression);
    } catch (error) {
      problems.push(
        `spec.healthChecks.cel.${i}.expression: does not compile: ${(error as Error).message}`,
      );
    }
  });
  const drain = spec.drain ?? {};
  const checks = spec.healthChecks ?? {};
  const plan: ResolvedPlan = {
    image: spec.image,
    ...(spec.sha256 ? { sha256: spec.sha256 } : {}),
    ...(spec.kubernetesVersion
      ? { kubernetesVersion: `v${spec.kubernetesVersion.replace(/^v/, "")}` }
      : {}),
    nodeSelector: spec.nodeSelector ?? {},
    maxUnavailable,
    criticalMaxUnavailable: spec.criticalMaxUnavailable ?? maxUnavailable,
    critical: spec.priority === "critical",
    windows: spec.windows ?? [],
    ...(spec.deadline ? { deadline: Date.parse(spec.deadline) } : {}),
    canary: { enabled: spec.canary?.enabled ?? true, soakMs: ms(spec.canary?.soak, "5m") },
    tries: spec.tries ?? 3,
    drain: {
      timeoutMs: ms(drain.timeout, "10m"),
      ...(drain.gracePeriodSeconds !== undefined
        ? { gracePeriodSeconds: drain.gracePeriodSeconds }
        : {}),
      deleteEmptyDirData: drain.deleteEmptyDirData ?? false,
      ignoreDaemonSets: drain.ignoreDaemonSets ?? true,
      force: drain.force ?? false,
      ...(drain.podSelector ? { podSelector: drain.podSelector } : {}),
      onTimeout: drain.onTimeout ?? "halt",
    },
    healthChecks: {
      cel: checks.cel ?? [],
      ...(checks.podsReady ? { podsReady: checks.podsReady } : {}),
      ...(checks.prometheus ? { prometheus: checks.prometheus } : {}),
      timeoutMs: ms(checks.timeout, "10m"),
    },
    soakMs: ms(spec.soak, "0s"),
    onFailure: spec.onFailure ?? "halt",
    maxFailures: spec.maxFailures ?? 0,
    paused: spec.paused ?? false,
  };
  return { plan, problems };
}
