/** An interface address; NetworkAddress in machine.proto plus the index to order by. */
export interface Address {
  link: string;
  linkIndex: number;
  family: "inet" | "inet6";
  /** With prefix length, e.g. "127.0.0.1/8". */
  address: string;
  scope: string;
}
