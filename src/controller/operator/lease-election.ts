import type { V1Lease } from "@kubernetes/client-node";
import { type KubeApis, statusOf } from "../kube/kube-apis";

export interface LeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  durationSeconds: number;
  signal: AbortSignal;
  onStatus?: (message: string) => void;
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: take
 * the lease when it is free or its holder stopped renewing, renew it every
 * third of its duration, and count as lost the moment a renewal fails (409:
 * someone else took it) or would come too late. Resolves with a signal that
 * aborts when leadership is lost; rejects when `signal` aborts first.
 */
export async function acquireLease(apis: KubeApis, o: LeaseOptions): Promise<AbortSignal> {
  const period = (o.durationSeconds * 1000) / 3;
  for (;;) {
    o.signal.throwIfAborted();
    if (await tryTake(apis, o)) break;
    await sleep(period, o.signal);
  }
  const lost = new AbortController();
  let lastRenew = Date.now();
  const renew = async () => {
    if (lost.signal.aborted || o.signal.aborted) return;
    const ok = await tryTake(apis, o).catch(() => false);
    if (ok) lastRenew = Date.now();
    if (!ok && Date.now() - lastRenew > o.durationSeconds * 1000 - period) {
      lost.abort(new Error(`lost the lease ${o.namespace}/${o.name}`));
      clearInterval(timer);
      return;
    }
  };
  const timer = setInterval(renew, period);
  o.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  return lost.signal;
}

/** One attempt to take or renew the lease; false when someone else holds it. */
async function tryTake(apis: KubeApis, o: LeaseOptions): Promise<boolean> {
  const now = new Date();
  let lease: V1Lease | undefined;
  try {
    lease = await apis.coordination.readNamespacedLease({ name: o.name, namespace: o.namespace });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const spec = lease?.spec ?? {};
  const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
  const expired = renewed + (spec.leaseDurationSeconds ?? o.durationSeconds) * 1000 < now.getTime();
  const mine = spec.holderIdentity === o.identity;
  if (lease && !mine && spec.holderIdentity && !expired) {
    o.onStatus?.(`waiting for the lease: ${spec.holderIdentity} holds it`);
    return false;
  }
  const body: V1Lease = {
    metadata: {
      name: o.name,
      namespace: o.namespace,
      ...(lease ? { resourceVersion: lease.metadata?.resourceVersion } : {}),
    },
    spec: {
      holderIdentity: o.identity,
      leaseDurationSeconds: o.durationSeconds,
      renewTime: microTime(now),
      acquireTime:
        mine && spec.acquireTime ? microTime(new Date(spec.acquireTime)) : microTime(now),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
    },
  };
  try {
    if (lease)
      await apis.coordination.replaceNamespacedLease({
        name: o.name,
        namespace: o.namespace,
        body,
      });
    else await apis.coordination.createNamespacedLease({ namespace: o.namespace, body });
    if (!mine) o.onStatus?.(`took the lease ${o.namespace}/${o.name}`);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw error;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * MicroTime as the API server parses it (six fractional digits). The client
 * library would send a Date with three, which a real API server refuses.
 */
function microTime(at: Date): Date {
  return at.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z") as unknown as Date;
}
