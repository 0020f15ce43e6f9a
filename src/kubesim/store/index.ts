export { Entry, type EventType, type StoreEvent } from "./entry";
export { EventLog } from "./event-log";
export { ObjectStore, type StoreListener } from "./object-store";
export { ResourceTable } from "./resource-table";
