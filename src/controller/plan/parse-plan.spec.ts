import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../../machinery/errors";
import { parsePlanText } from "./parse-plan";

const minimal = `apiVersion: upgrade.keelson.io/v1alpha1
kind: UpgradePlan
metadata:
  name: example
spec:
  image: ./keelson-1.2.3.bundle
  maxUnavailable: 1
`;

const refusal = (text: string) => {
  try {
    parsePlanText(text, "plan.yaml");
  } catch (error) {
    assert.ok(error instanceof KeelsonError, String(error));
    assert.equal(error.code, "invalidArgument");
    return error.message;
  }
  assert.fail("accepted");
};

describe("UpgradePlan files", () => {
  it("takes the minimal plan and fills safe defaults", () => {
    const { resolved } = parsePlanText(minimal, "plan.yaml");
    assert.equal(resolved.maxUnavailable, 1);
    assert.deepEqual(resolved.canary, { enabled: true, soakMs: 300_000 });
    assert.equal(resolved.drain.onTimeout, "halt");
    assert.equal(resolved.drain.ignoreDaemonSets, true);
    assert.equal(resolved.onFailure, "halt");
    assert.equal(resolved.tries, 3);
  });

  it("names every problem and where it is", () => {
    const message = refusal(`${minimal}  maxUnavailbe: 2
  windows:
    - start: "25:00"
      duration: 1h
      end: "02:00"
  drain: {timeout: soon}
  healthChecks:
    cel:
      - {name: deployments, apiVersion: apps/v1, kind: Deployment, expression: "objects.all(o, "}
`);
    assert.match(message, /spec: unknown field "maxUnavailbe"/);
    assert.match(message, /spec\.windows\.0\.start: expected a time of day/);
    assert.match(message, /spec\.drain\.timeout: expected a duration/);
    // The CEL check runs once the shape is right.
    const cel = refusal(`${minimal}  healthChecks:
    cel:
      - {name: d, apiVersion: apps/v1, kind: Deployment, expression: "objects.all(o, "}
`);
    assert.match(cel, /spec\.healthChecks\.cel\.0\.expression: does not compile/);
  });

  it("takes the kubelet version as the kubelet spells it, and a deadline", () => {
    const { resolved } = parsePlanText(
      `${minimal}  kubernetesVersion: 1.32.1\n  deadline: "2026-12-07T06:00:00Z"\n`,
      "plan.yaml",
    );
    assert.equal(resolved.kubernetesVersion, "v1.32.1");
    assert.equal(resolved.deadline, Date.parse("2026-12-07T06:00:00Z"));
    assert.match(
      refusal(`${minimal}  kubernetesVersion: latest\n`),
      /spec\.kubernetesVersion: expected a version like "v1\.32\.1"/,
    );
  });

  it("refuses a budget of zero and a window longer than a day", () => {
    assert.match(
      refusal(minimal.replace("maxUnavailable: 1", "maxUnavailable: 0")),
      /spec\.maxUnavailable: 0 would never upgrade a node/,
    );
    assert.match(
      refusal(`${minimal}  windows: [{start: "22:00", duration: 25h}]\n`),
      /spec\.windows\.0\.duration: at most 24h/,
    );
    assert.match(refusal(`${minimal}  windows: [{start: "22:00"}]\n`), /either duration or end/);
    assert.match(
      refusal(`${minimal}  windows: [{start: "22:00", end: "01:00", timeZone: Mars/Base}]\n`),
      /IANA time zone/,
    );
  });

  it("answers any text with a plan or a clear invalidArgument, never a crash", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => `${minimal}  priority: ${j}\n`),
        ),
        (text) => {
          try {
            parsePlanText(text, "plan.yaml");
          } catch (error) {
            assert.ok(
              error instanceof KeelsonError && error.code === "invalidArgument",
              String(error),
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
