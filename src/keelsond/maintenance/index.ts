export { type MaintenanceBoot, startMaintenance } from "./maintenance-mode";
