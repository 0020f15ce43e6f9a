import { parseGoDuration } from "../../machinery/duration";
import { type Window, weekdays } from "../plan/plan-schema";

const dayMinutes = 24 * 60;

/** One formatter per time zone: making one costs far more than using it, and nextOpening asks often. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone`: weekday index (Mon = 0) and minute of the day. */
function wallClock(at: number, timeZone: string): { day: number; minute: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = weekdays.indexOf(get("weekday") as (typeof weekdays)[number]);
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** How long the window stays open, in minutes; an end at or before the start crosses midnight. */
function lengthOf(w: Window): number {
  if (w.duration) return Math.round(parseGoDuration(w.duration, "") / 60e9);
  const span = (minutesOf(w.end ?? w.start) - minutesOf(w.start) + dayMinutes) % dayMinutes;
  return span === 0 ? dayMinutes : span;
}

/**
 * Whether `w` is open at `at`. A window belongs to the day it starts on, so
 * Fri 22:00 for 4h is open until Saturday 02:00 even if Saturday is not listed.
 */
export function windowOpen(w: Window, at: number): boolean {
  const { day, minute } = wallClock(at, w.timeZone ?? "UTC");
  const start = minutesOf(w.start);
  const length = lengthOf(w);
  const listed = (d: number) =>
    !w.days || w.days.length === 0 || w.days.includes(weekdays[(d + 7) % 7] ?? "Mon");
  // Started today, or started yesterday and still running past midnight.
  if (minute >= start && minute - start < length && listed(day)) return true;
  return minute < start && minute + dayMinutes - start < length && listed(day - 1);
}

/** Whether any window is open (no windows: always). */
export function inWindow(windows: readonly Window[], at: number): boolean {
  return windows.length === 0 || windows.some((w) => windowOpen(w, at));
}

/** The next minute at which a window opens, within a week (undefined: never). */
export function nextOpening(windows: readonly Window[], at: number): number | undefined {
  if (inWindow(windows, at)) return at;
  const first = Math.ceil(at / 60_000) * 60_000;
  for (let t = first; t < at + 8 * dayMinutes * 60_000; t += 60_000)
    if (inWindow(windows, t)) return t;
  return undefined;
}
