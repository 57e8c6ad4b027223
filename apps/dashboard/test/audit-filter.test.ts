import { describe, expect, it } from "vitest";
import { auditFilterFromParams } from "@/lib/audit-filter";

describe("audit filters in a URL (the page and the CSV export read them alike)", () => {
  it("takes UTC days inclusively, exact date-times as they are, and lists what is neither", () => {
    const days = auditFilterFromParams(
      new URLSearchParams("from=2026-11-01&to=2026-11-25&action=api_key.create"),
    );
    expect(days.filter).toEqual({
      action: "api_key.create",
      actorUserId: undefined,
      targetId: undefined,
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-26T00:00:00Z"),
    });
    expect(days).toMatchObject({ from: "2026-11-01", to: "2026-11-25", invalid: [] });

    const exact = auditFilterFromParams({ from: "2026-11-01T12:30:00Z", to: ["2026-11-02T08:00:00Z", "x"] });
    expect(exact.filter.from).toEqual(new Date("2026-11-01T12:30:00Z"));
    expect(exact.filter.to).toEqual(new Date("2026-11-02T08:00:00Z"));
    expect(exact.from).toBeUndefined();

    const bad = auditFilterFromParams(new URLSearchParams("from=yesterday&to=2026-13-45"));
    expect(bad.invalid).toEqual(["from", "to"]);
    expect(bad.filter.from).toBeUndefined();
    expect(bad.filter.to).toBeUndefined();
  });
});
