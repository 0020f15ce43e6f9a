/** The OS image this boot came from, as the boot loader's variables and the slot's manifest tell. */
export interface BootedImage {
  version: string;
  /** "A" or "B". */
  slot: string;
  /** Armed by an upgrade and not committed yet: the health gate decides. */
  onTrial: boolean;
}
