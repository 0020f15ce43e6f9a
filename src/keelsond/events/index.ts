export { EventLog, type NewEvent, type NodeEvent } from "./event-log";
export { eventsHandlers } from "./events-handlers";
export { followEvents } from "./follow-events";
