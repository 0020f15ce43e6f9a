import { join } from "node:path";

/**
 * Where a process node keeps what its firmware and boot loader would hold
 * on metal, inside its state directory: shared by the launcher (which plays
 * them) and the agent. The image maps the same roles to the ESP, efivarfs
 * and its partitions.
 */
export function nodeBootLayout(stateDir: string) {
  return {
    /** The boot partition: loader/loader.conf and loader/entries/*.conf. */
    esp: join(stateDir, "boot"),
    /** The firmware's variables: which entry booted, which counter it spent. */
    efivars: join(stateDir, "efivars"),
    /** The two images, a folder each. */
    slots: join(stateDir, "slots"),
    /** Why armed boots ended, written by both sides. */
    journal: join(stateDir, "upgrade", "boots.jsonl"),
  };
}

/** The agent's entry point inside an image: what the boot loader starts. */
export const agentEntryPoint = "keelsond.mjs";
