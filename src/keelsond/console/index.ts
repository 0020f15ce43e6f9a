export { type ConsoleStatus, interfaceAddresses, showStatus, statusLines } from "./console-status";
