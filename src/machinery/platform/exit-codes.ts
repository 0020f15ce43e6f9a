/**
 * How a process node's agent tells its machine launcher what to do when it
 * exits: the launcher plays the hardware (power off, or reset and boot
 * again). Any other exit is a crash, which the launcher treats as a reset.
 */
export const exitCodes = { poweroff: 0, reboot: 75 } as const;
