import { randomInt } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomText(length: number): string {
  // randomInt is uniform (rejection sampling), unlike a byte modulo 36.
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** A token in the kubeadm bootstrap shape, `[a-z0-9]{6}.[a-z0-9]{16}`: id and secret. */
export function generateToken(): string {
  return `${randomText(6)}.${randomText(16)}`;
}
