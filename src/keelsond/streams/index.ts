export { AsyncQueue } from "./async-queue";
