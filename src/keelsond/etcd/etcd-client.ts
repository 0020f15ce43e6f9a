import { KeelsonError } from "../../machinery/errors";
import {
  type Alarm,
  alarmFromWire,
  type Member,
  type MemberStatus,
  memberFromWire,
  statusFromWire,
} from "./etcd-model";
import { gatewayError } from "./gateway-error";
import {
  type CallOptions,
  deadlineFor,
  type EtcdTls,
  postGateway,
  readBody,
  transportError,
} from "./gateway-request";
import { snapshotChunks } from "./snapshot-stream";
import type { WireAlarms, WireMembers, WireRange, WireStatus } from "./wire-types";

const b64 = (text: string) => Buffer.from(text).toString("base64");

/**
 * One etcd member's v3 API, spoken as JSON through its gRPC gateway with the
 * agent's client certificate. The agent never shells out to etcdctl; every
 * call has a deadline (`defaultTimeoutMs` unless the call gives its own).
 */
export class EtcdClient {
  constructor(
    readonly endpoint: string,
    private readonly tls: () => Promise<EtcdTls>,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async status(options: CallOptions = {}): Promise<MemberStatus> {
    return statusFromWire(await this.call<WireStatus>("maintenance/status", {}, options));
  }

  async members(options: CallOptions = {}): Promise<Member[]> {
    const res = await this.call<WireMembers>("cluster/member/list", {}, options);
    return (res.members ?? []).map(memberFromWire);
  }

  /** Adds a voting member; returns it and the whole membership after the change. */
  async addMember(
    peerUrl: string,
    options: CallOptions = {},
  ): Promise<{ added: Member; members: Member[] }> {
    const res = await this.call<WireMembers>(
      "cluster/member/add",
      { peerURLs: [peerUrl] },
      options,
    );
    if (!res.member) throw new KeelsonError("internal", `etcd at ${this.endpoint} added no member`);
    return { added: memberFromWire(res.member), members: (res.members ?? []).map(memberFromWire) };
  }

  async removeMember(id: bigint, options: CallOptions = {}): Promise<void> {
    await this.call("cluster/member/remove", { ID: id.toString() }, options);
  }

  /** Defragments this member only; it blocks the member meanwhile, hence the longer deadline. */
  async defragment(options: CallOptions = {}): Promise<void> {
    await this.call("maintenance/defragment", {}, { timeoutMs: 120_000, ...options });
  }

  async alarms(options: CallOptions = {}): Promise<Alarm[]> {
    const res = await this.call<WireAlarms>("maintenance/alarm", { action: "GET" }, options);
    return (res.alarms ?? []).map(alarmFromWire);
  }

  async disarm(alarm: Alarm, options: CallOptions = {}): Promise<void> {
    const body = { action: "DEACTIVATE", memberID: alarm.memberId.toString(), alarm: alarm.alarm };
    await this.call("maintenance/alarm", body, options);
  }

  /** Must be sent to the current leader. */
  async moveLeader(targetId: bigint, options: CallOptions = {}): Promise<void> {
    const body = { targetID: targetId.toString() };
    await this.call("maintenance/transfer-leadership", body, options);
  }

  async put(key: string, value: string, options: CallOptions = {}): Promise<void> {
    await this.call("kv/put", { key: b64(key), value: b64(value) }, options);
  }

  async get(key: string, options: CallOptions = {}): Promise<string | undefined> {
    const res = await this.call<WireRange>("kv/range", { key: b64(key) }, options);
    const value = res.kvs?.[0]?.value;
    return value === undefined ? undefined : Buffer.from(value, "base64").toString();
  }

  /**
   * The member's backend as a stream of chunks. The deadline is an idle one:
   * a large database may take long, but a stalled stream fails.
   */
  async *snapshot(options: CallOptions = {}): AsyncGenerator<Buffer> {
    const tls = await this.tls();
    yield* snapshotChunks(this.endpoint, tls, options.signal, options.timeoutMs ?? 30_000);
  }

  private async call<T = unknown>(path: string, body: unknown, options: CallOptions): Promise<T> {
    const { signal, deadline, ms } = deadlineFor(options, this.defaultTimeoutMs);
    try {
      const url = new URL(`/v3/${path}`, this.endpoint);
      const res = await postGateway(url, body, await this.tls(), signal);
      const text = await readBody(res);
      if (res.statusCode !== 200) throw gatewayError(this.endpoint, res.statusCode ?? 0, text);
      return JSON.parse(text) as T;
    } catch (error) {
      throw transportError(this.endpoint, error, deadline, ms);
    }
  }
}
