import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { create, type DescMessage } from "@bufbuild/protobuf";
import { status } from "@grpc/grpc-js";
import fc from "fast-check";
import * as api from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { isAllowed, roles, rolesFor } from "../../machinery/roles";
import { eventually } from "../../testing/eventually";
import { decode, encode, grpcJsClient } from "../../testing/grpc-js-client";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

/** A valid request for every RPC, so an allowed call can succeed. */
const requests: Record<string, { schema: DescMessage; init: Record<string, unknown> }> = {
  Logs: { schema: api.LogsRequestSchema, init: { service: "apid", tailLines: 2 } },
  Read: { schema: api.ReadRequestSchema, init: { path: "/etc/os-release" } },
  List: { schema: api.ListRequestSchema, init: { path: "/etc/os-release" } },
  Dmesg: { schema: api.DmesgRequestSchema, init: { tail: 1 } },
  Events: { schema: api.EventsRequestSchema, init: { tail: 1 } },
  RollbackConfiguration: {
    schema: api.RollbackConfigurationRequestSchema,
    init: { revision: 1, dryRun: true },
  },
  GenerateClientConfiguration: {
    schema: api.GenerateClientConfigurationRequestSchema,
    init: { roles: ["os:reader"] },
  },
};
/** Calls that would take the node or its etcd down: only their denials are exercised here. */
const destructive = new Set([
  "Reboot",
  "Shutdown",
  "EtcdBootstrap",
  "EtcdLeave",
  "EtcdRemoveMember",
  "EtcdForfeitLeadership",
  "EtcdDefragment",
  "EtcdAlarmDisarm",
]);

/** RPCs that succeed on any configured node; the others depend on the runtime, etcd or state. */
const mustSucceed = new Set([
  "Version",
  "Hostname",
  "Health",
  "Processes",
  "Memory",
  "Cpu",
  "Mounts",
  "Disks",
  "NetworkLinks",
  "NetworkAddresses",
  "NetworkRoutes",
  "Time",
  "ServiceList",
  "Logs",
  "Events",
  "Read",
  "List",
  "GetConfiguration",
  "ConfigurationHistory",
  "ApplyConfiguration",
  "RollbackConfiguration",
  "GenerateClientConfiguration",
  "Containers",
]);
const methods = api.MachineService.methods.map((m) => m.name);

/** Whether a raw request body decodes to a streaming request with follow set. */
function asksToFollow(method: string, bytes: Uint8Array): boolean {
  const desc = api.MachineService.methods.find((m) => m.name === method);
  if (desc?.methodKind !== "server_streaming") return false;
  try {
    return (decode(desc.input, bytes) as { follow?: boolean }).follow === true;
  } catch {
    return false;
  }
}

function body(method: string): Uint8Array {
  const desc = api.MachineService.methods.find((m) => m.name === method);
  const spec = requests[method];
  const schema = spec?.schema ?? desc?.input;
  if (!schema) throw new Error(method);
  return encode(schema, create(schema, spec?.init ?? {}));
}

describe("node API over mTLS, called with @grpc/grpc-js", () => {
  let cluster: TempCluster;
  const address = (i: number) => `${cluster.record.nodes[i]?.address}:50000`;

  before(async () => {
    cluster = await startTempCluster({ workers: 2 });
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("enforces the RPC × role table for every RPC and every role", async () => {
    // A real configuration to apply (as a dry run) is the node's own.
    const admin = grpcJsClient(address(0), cluster.admin);
    const got = await admin.call("GetConfiguration", body("GetConfiguration"));
    const data = decode(
      api.GetConfigurationResponseSchema,
      got.messages[0] ?? new Uint8Array(),
    ).data;
    requests.ApplyConfiguration = {
      schema: api.ApplyConfigurationRequestSchema,
      init: { data, dryRun: true },
    };
    admin.close();
    for (const held of [...roles.map((r) => [r]), [], ["dev:guest"]]) {
      const client = grpcJsClient(address(0), await cluster.credentialsFor(held));
      for (const method of methods) {
        const procedure = `${api.MachineService.typeName}/${method}`;
        const allowed = isAllowed(procedure, held);
        if (allowed && destructive.has(method)) continue;
        const result = await client.call(method, body(method));
        const label = `${method} as [${held.join(",")}]: ${status[result.code]} ${result.details}`;
        if (allowed) {
          // Authorised calls may still fail on their own terms (nothing to confirm, no
          // container runtime or etcd on this node): never with an auth error.
          assert.ok(
            result.code !== status.PERMISSION_DENIED && result.code !== status.UNAUTHENTICATED,
            label,
          );
          if (mustSucceed.has(method)) assert.equal(result.code, status.OK, label);
        } else {
          assert.equal(result.code, status.PERMISSION_DENIED, label);
          assert.ok(result.details.includes(rolesFor(procedure).join(" or ")), label);
        }
      }
      client.close();
    }
  });

  it("reboots for os:upgrader and the node comes back as a new boot; shuts down for os:operator", async () => {
    const upgrader = grpcJsClient(address(1), await cluster.credentialsFor(["os:upgrader"]));
    const health = async () => {
      const r = await upgrader.call("Health", body("Health"), 1000);
      return r.code === status.OK
        ? decode(api.HealthResponseSchema, r.messages[0] ?? new Uint8Array())
        : undefined;
    };
    const first = await health();
    assert.ok(first?.ready);
    assert.equal((await upgrader.call("Reboot", body("Reboot"))).code, status.OK);
    await eventually("a new boot, ready", async () => {
      const next = await health();
      return next?.ready && next.bootId !== first.bootId;
    });
    upgrader.close();

    const operator = grpcJsClient(address(2), await cluster.credentialsFor(["os:operator"]));
    assert.equal((await operator.call("Shutdown", body("Shutdown"))).code, status.OK);
    await eventually(
      "the node powered off",
      async () =>
        (await operator.call("Version", body("Version"), 500)).code === status.UNAVAILABLE,
    );
    operator.close();
  });

  it("refuses clients without a certificate, with an expired one or one from another CA", async () => {
    const expired = await cluster.credentialsFor(["os:admin"], {
      notBefore: new Date(Date.now() - 48 * 3600_000),
      notAfter: new Date(Date.now() - 24 * 3600_000),
    });
    const { createCa, issue } = await import("../../machinery/pki");
    const otherCa = await createCa("someone-else");
    const foreign = await issue(
      { commonName: "mallory", organizations: ["os:admin"], usage: "client" },
      otherCa,
    );
    const cases = {
      none: { ...cluster.admin, cert: "", key: "" },
      expired,
      foreign: { ca: cluster.admin.ca, cert: foreign.cert, key: foreign.key },
    };
    for (const [name, credentials] of Object.entries(cases)) {
      const client = grpcJsClient(address(0), credentials);
      const result = await client.call("Version", body("Version"));
      assert.equal(
        result.code,
        status.UNAVAILABLE,
        `${name}: ${status[result.code]} ${result.details}`,
      );
      client.close();
    }
    const admin = grpcJsClient(address(0), cluster.admin);
    assert.equal((await admin.call("Version", body("Version"))).code, status.OK, "still serving");
    admin.close();
  });

  it("answers malformed, oversized and unknown requests with a clear status and keeps serving", async () => {
    const admin = grpcJsClient(address(0), cluster.admin);
    const oversized = await admin.call("Read", new Uint8Array(2 * 1024 * 1024).fill(0x0a));
    assert.equal(oversized.code, status.RESOURCE_EXHAUSTED, oversized.details);
    const unknown = await admin.call("NoSuchMethod", new Uint8Array());
    assert.equal(unknown.code, status.UNIMPLEMENTED, unknown.details);
    assert.match(unknown.details, /keelson\.machine\.v1\.MachineService\/NoSuchMethod/);
    // Hints reach a stock client as a structured detail, not only keelctl.
    const hinted = await admin.call("Logs", body("Version"));
    assert.equal(hinted.code, status.INVALID_ARGUMENT);
    assert.deepEqual(hinted.hints, ["list them with keelctl services"]);
    // An undecodable body is INTERNAL "parse binary: …" (connect-es decodes before any
    // interceptor can map it; grpc-go answers the same way), never a crash.
    const truncated = await admin.call("Read", Uint8Array.of(0x0a, 0x20, 0x2f));
    assert.equal(truncated.code, status.INTERNAL, truncated.details);
    assert.match(truncated.details, /^parse binary: premature EOF/);
    const outside = await admin.call(
      "Read",
      encode(api.ReadRequestSchema, create(api.ReadRequestSchema, { path: "/etc/shadow" })),
    );
    assert.equal(outside.code, status.PERMISSION_DENIED);
    assert.match(outside.details, /outside/);

    const safe = methods.filter((m) => !destructive.has(m));
    const clean = [
      status.OK,
      status.INVALID_ARGUMENT,
      status.NOT_FOUND,
      status.PERMISSION_DENIED,
      status.FAILED_PRECONDITION,
      status.UNAVAILABLE,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...safe),
        fc.uint8Array({ maxLength: 256 }),
        async (method, bytes) => {
          const result = await admin.call(method, bytes, 3000);
          const undecodable =
            result.code === status.INTERNAL && result.details.startsWith("parse binary:");
          // A follow stream stays open until the client's deadline ends it: that is its answer.
          const followed = result.code === status.DEADLINE_EXCEEDED && asksToFollow(method, bytes);
          assert.ok(
            clean.includes(result.code) || undecodable || followed,
            `${method}: ${status[result.code]} ${result.details}`,
          );
        },
      ),
      // Dmesg with follow set: found by CI, a stream that rightly runs until the deadline.
      { numRuns: 300, examples: [["Dmesg", Uint8Array.of(0x08, 0x01)]] },
    );
    assert.equal((await admin.call("Version", body("Version"))).code, status.OK, "still serving");
    admin.close();
  });
});
