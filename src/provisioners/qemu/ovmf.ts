/** Debian's OVMF: the firmware code (read-only) and the template of its variable store. */
export const ovmf = {
  code: "/usr/share/OVMF/OVMF_CODE_4M.fd",
  vars: "/usr/share/OVMF/OVMF_VARS_4M.fd",
};
