import * as z from "zod/mini";
import {
  flag,
  intRange,
  list,
  pattern,
  strictObject,
  stringMap,
  text,
} from "../../machinery/config/schema/primitives";
import { parseGoDuration } from "../../machinery/duration";

export const planGroup = "upgrade.keelson.io";
export const planVersion = "v1alpha1";
export const planApiVersion = `${planGroup}/${planVersion}`;

export const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

const durationMessage = 'expected a duration like "90s", "10m" or "1h30m"';
/** Go duration text, as Kubernetes objects spell them. */
export const duration = () =>
  text(durationMessage).check(
    z.refine((v) => {
      try {
        return parseGoDuration(v, "") >= 0;
      } catch {
        return false;
      }
    }, durationMessage),
  );

/** A count ("2") or a share of the selected nodes ("25%"). */
export const countOrPercent = () =>
  z.union([intRange(0, 100_000), pattern(/^(100|[1-9]?\d)%$/, "a percentage from 0% to 100%")], {
    error: 'expected a number of nodes or a percentage like "25%"',
  });

const clock = () => pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day like "22:00"');

const timeZone = () =>
  text("an IANA time zone like Europe/Berlin").check(
    z.refine((v) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: v });
        return true;
      } catch {
        return false;
      }
    }, "expected an IANA time zone like Europe/Berlin"),
  );

const window = strictObject({
  days: z.optional(list(z.enum(weekdays, { error: `expected one of ${weekdays.join(", ")}` }))),
  start: clock(),
  duration: z.optional(duration()),
  end: z.optional(clock()),
  timeZone: z.optional(timeZone()),
}).check(
  z.refine((w) => (w.duration === undefined) !== (w.end === undefined), {
    message: "expected either duration or end, not both and not neither",
  }),
);

const selectorRequirement = strictObject({
  key: text("a label key"),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"], {
    error: "expected In, NotIn, Exists or DoesNotExist",
  }),
  values: z.optional(list(z.string({ error: "expected a label value" }))),
});

export const labelSelector = () =>
  strictObject({
    matchLabels: z.optional(stringMap(z.string(), z.string({ error: "expected a label value" }))),
    matchExpressions: z.optional(list(selectorRequirement)),
  });

const celCheck = strictObject({
  name: text("a name for the check"),
  /** The objects the expression sees as `objects`, e.g. apps/v1 Deployment. */
  apiVersion: pattern(/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/, 'an apiVersion like "v1" or "apps/v1"'),
  kind: pattern(/^[A-Z][A-Za-z0-9]*$/, 'a kind like "Deployment"'),
  namespace: z.optional(text("a namespace")),
  expression: text("a CEL expression that is true when healthy"),
});

export const planSpec = strictObject({
  image: text("a bundle: a path keelctl can read, or an http(s) URL the nodes can fetch"),
  sha256: z.optional(pattern(/^[0-9a-f]{64}$/, "a sha256 digest in lowercase hex")),
  kubernetesVersion: z.optional(pattern(/^v?\d+\.\d+\.\d+$/, 'a version like "v1.32.1"')),
  nodeSelector: z.optional(labelSelector()),
  maxUnavailable: z.optional(countOrPercent()),
  criticalMaxUnavailable: z.optional(countOrPercent()),
  priority: z.optional(z.enum(["normal", "critical"], { error: "expected normal or critical" })),
  windows: z.optional(list(window)),
  deadline: z.optional(
    text("an RFC 3339 time").check(
      z.refine((v) => /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)), {
        message: 'expected an RFC 3339 time like "2026-12-01T06:00:00Z"',
      }),
    ),
  ),
  canary: z.optional(strictObject({ enabled: z.optional(flag()), soak: z.optional(duration()) })),
  tries: z.optional(intRange(1, 15)),
  drain: z.optional(
    strictObject({
      timeout: z.optional(duration()),
      gracePeriodSeconds: z.optional(intRange(0, 86_400)),
      deleteEmptyDirData: z.optional(flag()),
      ignoreDaemonSets: z.optional(flag()),
      force: z.optional(flag()),
      podSelector: z.optional(labelSelector()),
      onTimeout: z.optional(
        z.enum(["halt", "skip-node", "force"], { error: "expected halt, skip-node or force" }),
      ),
    }),
  ),
  healthChecks: z.optional(
    strictObject({
      cel: z.optional(list(celCheck)),
      podsReady: z.optional(
        strictObject({ namespace: z.optional(text("a namespace")), selector: labelSelector() }),
      ),
      prometheus: z.optional(
        strictObject({
          url: pattern(/^https?:\/\/\S+$/, "an http(s) URL of a Prometheus server"),
          query: text("a PromQL query that returns nothing when healthy"),
        }),
      ),
      timeout: z.optional(duration()),
    }),
  ),
  soak: z.optional(duration()),
  onFailure: z.optional(z.enum(["halt", "continue"], { error: "expected halt or continue" })),
  maxFailures: z.optional(intRange(0, 100_000)),
  paused: z.optional(flag()),
});

export type PlanSpec = z.infer<typeof planSpec>;
export type LabelSelector = z.infer<ReturnType<typeof labelSelector>>;
export type Window = z.infer<typeof window>;
export type CelCheck = z.infer<typeof celCheck>;

export const upgradePlan = z.object({
  apiVersion: z.literal(planApiVersion, { error: `expected apiVersion ${planApiVersion}` }),
  kind: z.literal("UpgradePlan", { error: "expected kind UpgradePlan" }),
  metadata: z.object({
    name: pattern(
      /^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
      "a plan name: lowercase letters, digits, '-' and '.'",
    ),
    uid: z.optional(z.string()),
    generation: z.optional(z.number()),
    resourceVersion: z.optional(z.string()),
  }),
  spec: planSpec,
});

export type UpgradePlan = z.infer<typeof upgradePlan>;
