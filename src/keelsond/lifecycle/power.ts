/**
 * What "turn the machine off or restart it" means where the agent runs. On the
 * OS image it is the reboot(2) syscall; in a local process node the agent
 * exits with a code its machine launcher understands.
 */
export interface Power {
  reboot(): void;
  poweroff(): void;
}

/** Exit codes shared with the process provisioner's machine launcher. */
export const exitCodes = { poweroff: 0, reboot: 75 } as const;

export const processPower: Power = {
  reboot: () => process.exit(exitCodes.reboot),
  poweroff: () => process.exit(exitCodes.poweroff),
};
