import { createHash, randomUUID } from "node:crypto";
import { field, type KubeObject } from "../api";
import type { Timing } from "../cluster/timing";
import type { KubeletPort, PodEventType } from "./kubelet-port";
import { leaseObject, type NodeShape, nodeConditions, nodeObject, nodeStatus } from "./node-object";
import { restartCountOf, runningStatus } from "./pod-status";

interface PodState {
  uid: string;
  timer?: NodeJS.Timeout;
  terminating: boolean;
}

/** Heartbeats between full node-status posts; the Lease carries liveness in between. */
const statusEvery = 6;

/**
 * The behaviour of a kubelet without containers: register the Node, keep its
 * Lease and Ready condition fresh, take bound pods from Pending to Running to
 * Ready, and finish graceful deletions. stop() makes it go silent, as a node
 * does when it reboots.
 */
export class SimKubelet {
  private readonly pods = new Map<string, PodState>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopWatch: (() => void) | undefined;
  private stopped = true;
  private beats = 0;
  private ipCounter = 1;
  private readonly subnet: number;
  private nodeUid: string | undefined;
  /** Why the last heartbeat failed; undefined while they succeed. */
  heartbeatError: string | undefined;

  constructor(
    private readonly port: KubeletPort,
    private readonly shape: NodeShape,
    private readonly timing: Timing,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.subnet = createHash("sha256").update(shape.name).digest().readUInt8(0);
  }

  get nodeName(): string {
    return this.shape.name;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const bootId = randomUUID();
    this.nodeUid = await this.port.registerNode(nodeObject(this.shape));
    await this.port.patchNodeStatus(this.shape.name, nodeStatus(this.shape, bootId));
    await this.renew();
    this.heartbeat = setInterval(() => void this.beat(), this.timing.heartbeatMs);
    this.heartbeat.unref();
    this.stopWatch = this.port.watchPods(this.shape.name, (type, pod) => this.onPod(type, pod));
  }

  /** Goes silent: no heartbeats, no pod work. The API objects stay as they are. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.stopWatch?.();
    for (const state of this.pods.values()) clearTimeout(state.timer);
    this.pods.clear();
  }

  private async renew(): Promise<void> {
    const seconds = Math.max(1, Math.round((this.timing.heartbeatMs * 4) / 1000));
    await this.port.renewLease(leaseObject(this.shape.name, this.nodeUid, seconds));
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renew();
      if (++this.beats % statusEvery === 0) {
        await this.port.patchNodeStatus(this.shape.name, { conditions: nodeConditions(true) });
      }
      this.heartbeatError = undefined;
    } catch (error) {
      this.heartbeatError = error instanceof Error ? error.message : String(error);
      this.onError(error);
    }
  }

  private onPod(type: PodEventType, pod: KubeObject): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? "";
    const state = this.pods.get(uid);
    if (type === "DELETED") {
      clearTimeout(state?.timer);
      this.pods.delete(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      if (!state?.terminating) this.terminate(pod, state);
      return;
    }
    if (state) return;
    const phase = field(pod, "status", "phase");
    if (phase === "Succeeded" || phase === "Failed") return;
    this.run(pod, phase === "Running");
  }

  /** Starts the containers; a pod that was already Running restarted with the node. */
  private run(pod: KubeObject, restarted: boolean): void {
    const uid = pod.metadata.uid ?? "";
    const state: PodState = { uid, terminating: false };
    this.pods.set(uid, state);
    const podIP = `10.244.${this.subnet}.${(this.ipCounter++ % 250) + 2}`;
    const restartCount = restartCountOf(pod) + (restarted ? 1 : 0);
    const startedAt = Date.now() + this.timing.podStartMs;
    const post = (ready: boolean) =>
      this.port.putPodStatus(
        pod,
        runningStatus(pod, { hostIP: this.shape.address, podIP, startedAt, ready, restartCount }),
      );
    state.timer = setTimeout(() => {
      this.guard(post(false));
      state.timer = setTimeout(() => this.guard(post(true)), this.timing.podReadyMs);
    }, this.timing.podStartMs);
  }

  /** Kills the containers within the grace period, then removes the pod for good. */
  private terminate(pod: KubeObject, state: PodState | undefined): void {
    clearTimeout(state?.timer);
    const uid = pod.metadata.uid ?? "";
    const graceMs = ((pod.metadata.deletionGracePeriodSeconds as number | undefined) ?? 0) * 1000;
    const next: PodState = { uid, terminating: true };
    this.pods.set(uid, next);
    next.timer = setTimeout(
      () => this.guard(this.port.deletePod(pod)),
      Math.min(this.timing.podStopMs, graceMs),
    );
  }

  private guard(work: Promise<void>): void {
    work.catch((error: unknown) => {
      if (!this.stopped) this.onError(error);
    });
  }
}
