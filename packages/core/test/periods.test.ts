import { describe, expect, it } from "vitest";
import { limitPeriodStart, startOfUtcWeek } from "../src/periods.js";

describe("UTC periods", () => {
  const wednesday = new Date("2026-11-25T15:30:00Z");
  it("starts key-limit periods at UTC midnight, Monday and the 1st", () => {
    expect(limitPeriodStart("daily", wednesday)?.toISOString()).toBe("2026-11-25T00:00:00.000Z");
    expect(limitPeriodStart("weekly", wednesday)?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(limitPeriodStart("monthly", wednesday)?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(limitPeriodStart("never", wednesday)).toBeNull();
    expect(startOfUtcWeek(new Date("2026-11-29T23:59:00Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });
});
