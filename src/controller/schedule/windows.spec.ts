import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inWindow, nextOpening, windowOpen } from "./windows";

const t = (iso: string) => Date.parse(iso);

describe("maintenance windows", () => {
  it("crosses midnight, belonging to the day it starts on", () => {
    const fri = { days: ["Fri" as const], start: "22:00", duration: "4h" };
    assert.equal(windowOpen(fri, t("2026-12-04T21:59:00Z")), false); // Friday
    assert.equal(windowOpen(fri, t("2026-12-04T22:00:00Z")), true);
    assert.equal(windowOpen(fri, t("2026-12-05T01:59:00Z")), true); // Saturday, still Friday's
    assert.equal(windowOpen(fri, t("2026-12-05T02:00:00Z")), false);
    assert.equal(windowOpen(fri, t("2026-12-05T22:30:00Z")), false); // Saturday's own night
  });

  it("takes an end instead of a duration, and an end at the start as a whole day", () => {
    assert.equal(windowOpen({ start: "23:00", end: "01:00" }, t("2026-12-01T00:30:00Z")), true);
    assert.equal(windowOpen({ start: "23:00", end: "01:00" }, t("2026-12-01T01:30:00Z")), false);
    assert.equal(windowOpen({ start: "06:00", end: "06:00" }, t("2026-12-01T05:59:00Z")), true);
  });

  it("reads the clock in the window's time zone", () => {
    const berlin = { start: "02:00", duration: "1h", timeZone: "Europe/Berlin" };
    // 02:30 in Berlin (winter, UTC+1) is 01:30 UTC.
    assert.equal(windowOpen(berlin, t("2026-12-01T01:30:00Z")), true);
    assert.equal(windowOpen(berlin, t("2026-12-01T02:30:00Z")), false);
    const tokyo = {
      days: ["Mon" as const],
      start: "08:00",
      duration: "1h",
      timeZone: "Asia/Tokyo",
    };
    // Monday 08:30 in Tokyo is Sunday 23:30 UTC.
    assert.equal(windowOpen(tokyo, t("2026-11-29T23:30:00Z")), true);
  });

  it("is always open without windows, and finds the next opening", () => {
    assert.equal(inWindow([], t("2026-12-01T12:00:00Z")), true);
    const sat = [{ days: ["Sat" as const], start: "03:00", duration: "1h" }];
    assert.equal(nextOpening(sat, t("2026-12-01T12:00:00Z")), t("2026-12-05T03:00:00Z"));
  });
});
