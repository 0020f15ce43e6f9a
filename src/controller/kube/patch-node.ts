import { setTimeout as delay } from "node:timers/promises";
import { isTransient, type KubeApis, mergePatch } from "./kube-apis";

const attempts = 5;

/**
 * A merge patch to a Node. A merge patch carries no resourceVersion, so a
 * conflict or a busy server only means "send it again": it is, at once with
 * a little jitter, up to 5 times, before the caller hears of it. The
 * answer (the Node as written) goes to the engine's cache, so its next pass
 * sees this write even before the watch brings it.
 */
export async function patchNode(apis: KubeApis, name: string, body: object): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await apis.core.patchNode({ name, body }, mergePatch);
      apis.nodeCache?.update(written);
      return;
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await delay(Math.random() * 20 * 2 ** attempt);
    }
  }
}
