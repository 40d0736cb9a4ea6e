import { BlockStack, Button, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { dayOfWeek, daysInMonth, fromDayNumber, toDayNumber, type IsoDay } from "../domain/shared/day.ts";
import { formatMonth, formatUplift } from "./format.ts";

// The promotions as a month calendar: which sales and events run on which days, so a merchant planning the
// season sees overlaps and gaps at a glance. Weeks start on Monday; days outside the month are shown greyed
// so a promotion that crosses the month boundary reads as one run.

export type CalendarPromotion = { id: string; name: string; startsOn: string; endsOn: string; upliftPct: number };

export type CalendarDay = { day: IsoDay; inMonth: boolean; isToday: boolean; promotions: CalendarPromotion[] };

const WEEKDAY_HEADERS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The month `offset` months from `month` (`2026-11`, +2 → `2027-01`). */
export function shiftMonth(month: string, offset: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const total = year * 12 + (m - 1) + offset;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** Whole weeks (Monday to Sunday) covering the month, each day with the promotions running on it. */
export function calendarWeeks(month: string, promotions: readonly CalendarPromotion[], today: string): CalendarDay[][] {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const first = `${month}-01` as IsoDay;
  const last = `${month}-${String(daysInMonth(year, m)).padStart(2, "0")}` as IsoDay;
  const start = toDayNumber(first) - dayOfWeek(toDayNumber(first));
  const end = toDayNumber(last) + (6 - dayOfWeek(toDayNumber(last)));
  // Longest first on each day, so a long campaign keeps its place above the one-day events.
  const sorted = [...promotions].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || b.endsOn.localeCompare(a.endsOn) || a.name.localeCompare(b.name));
  const weeks: CalendarDay[][] = [];
  for (let n = start; n <= end; n += 7) {
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const day = fromDayNumber(n + i);
        return { day, inMonth: day >= first && day <= last, isToday: day === today, promotions: sorted.filter((p) => p.startsOn <= day && p.endsOn >= day) };
      }),
    );
  }
  return weeks;
}

export function PromotionCalendar({ month, promotions, today }: { month: string; promotions: readonly CalendarPromotion[]; today: string }) {
  const weeks = calendarWeeks(month, promotions, today);
  const title = formatMonth(month) ?? month;
  const cell = { border: "1px solid var(--p-color-border-secondary)", verticalAlign: "top", padding: "4px", width: `${100 / 7}%`, height: "88px" } as const;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <InlineStack gap="200">
            <Button url={`?month=${shiftMonth(month, -1)}`} accessibilityLabel={`Previous month, ${formatMonth(shiftMonth(month, -1))}`}>
              Previous
            </Button>
            <Button url={`?month=${today.slice(0, 7)}`} disabled={month === today.slice(0, 7)}>
              This month
            </Button>
            <Button url={`?month=${shiftMonth(month, 1)}`} accessibilityLabel={`Next month, ${formatMonth(shiftMonth(month, 1))}`}>
              Next
            </Button>
          </InlineStack>
        </InlineStack>
        <table aria-label={`Promotions in ${title}`} style={{ width: "100%", borderCollapse: "collapse", tableLayout: "fixed" }}>
          <thead>
            <tr>
              {WEEKDAY_HEADERS.map((d) => (
                <th key={d} scope="col" style={{ textAlign: "left", padding: "4px", fontWeight: 600 }}>
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week[0]!.day}>
                {week.map((d) => (
                  <td
                    key={d.day}
                    data-day={d.day}
                    aria-current={d.isToday ? "date" : undefined}
                    style={{ ...cell, background: d.inMonth ? undefined : "var(--p-color-bg-surface-secondary)", opacity: d.inMonth ? 1 : 0.6 }}
                  >
                    <BlockStack gap="100">
                      <Text as="span" variant="bodySm" fontWeight={d.isToday ? "bold" : "regular"} tone={d.inMonth ? undefined : "subdued"}>
                        {Number(d.day.slice(8))}
                        {d.isToday ? " · today" : ""}
                      </Text>
                      {d.promotions.map((p) => (
                        <div
                          key={p.id}
                          title={`${p.name} ${formatUplift(p.upliftPct)}, ${p.startsOn} to ${p.endsOn}`}
                          style={{ background: "var(--p-color-bg-fill-info-secondary)", borderRadius: "4px", padding: "0 4px", overflow: "hidden", whiteSpace: "nowrap", textOverflow: "ellipsis" }}
                        >
                          <Link url={`/app/promotions/${p.id}`} removeUnderline monochrome>
                            <Text as="span" variant="bodySm">
                              {p.name} {formatUplift(p.upliftPct)}
                            </Text>
                          </Link>
                        </div>
                      ))}
                    </BlockStack>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </BlockStack>
    </Card>
  );
}

