import { exitCodes } from "../../machinery/platform/exit-codes";

/**
 * What "turn the machine off or restart it" means where the agent runs. On the
 * OS image it is the reboot(2) syscall; in a local process node the agent
 * exits with a code its machine launcher understands.
 */
export interface Power {
  reboot(): void;
  poweroff(): void;
}

export const processPower: Power = {
  reboot: () => process.exit(exitCodes.reboot),
  poweroff: () => process.exit(exitCodes.poweroff),
};
