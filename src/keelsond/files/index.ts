export { filesHandlers } from "./files-handlers";
