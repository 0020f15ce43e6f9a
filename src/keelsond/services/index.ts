export { servicesHandlers } from "./services-handlers";
