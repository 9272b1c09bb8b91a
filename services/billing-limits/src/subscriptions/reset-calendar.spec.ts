import fc from 'fast-check';
import { RESET_STRATEGIES, type ResetStrategy } from '@vpn/contracts';
import { isResetDay, nextResetAfter } from './reset-calendar';

const DAY_MS = 86_400_000;
const iso = (s: string) => new Date(s);
const date = fc.date({ min: iso('1999-01-01T00:00:00Z'), max: iso('2400-12-31T23:59:59Z'), noInvalidDate: true });
/** Dates on and around month ends and leap days, where calendars break. */
const edgeDate = fc.record({
  year: fc.integer({ min: 1999, max: 2400 }), month: fc.integer({ min: 0, max: 11 }),
  day: fc.constantFrom(1, 27, 28, 29, 30, 31), ms: fc.integer({ min: 0, max: DAY_MS - 1 }),
}).map(({ year, month, day, ms }) => new Date(Date.UTC(year, month, 1) + (day - 1) * DAY_MS + ms));
const anyDate = fc.oneof(date, edgeDate);
const resetting = fc.constantFrom(...RESET_STRATEGIES.filter((s) => s !== 'NO_RESET'));

/** The oracle: walk day by day to the first reset day after `after`. */
function firstResetDayAfter(strategy: ResetStrategy, anchor: Date, after: Date): Date {
  let day = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate()) + DAY_MS;
  while (!isResetDay(strategy, anchor, new Date(day))) day += DAY_MS;
  return new Date(day);
}

describe(nextResetAfter.name, () => {
  it('is the first reset day after the given time, at 00:00 UTC, for every strategy and date', () => {
    fc.assert(fc.property(resetting, anyDate, anyDate, (strategy, anchor, after) => {
      const next = nextResetAfter(strategy, anchor, after);
      expect(next).not.toBeNull();
      expect(next!.getTime()).toBeGreaterThan(after.getTime());
      expect(next!.getTime() % DAY_MS).toBe(0);
      expect(next).toEqual(firstResetDayAfter(strategy, anchor, after));
    }), { numRuns: 3000 });
  });

  it('keeps within one period of the given time', () => {
    const longest: Record<Exclude<ResetStrategy, 'NO_RESET'>, number> = { DAY: 1, WEEK: 7, MONTH: 31, MONTH_ROLLING: 31, YEAR: 366 };
    fc.assert(fc.property(resetting, anyDate, anyDate, (strategy, anchor, after) => {
      const next = nextResetAfter(strategy, anchor, after)!;
      expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(longest[strategy as keyof typeof longest] * DAY_MS);
    }), { numRuns: 2000 });
  });

  it('MONTH_ROLLING lands once in every month, on the start day capped at the month end', () => {
    fc.assert(fc.property(anyDate, (anchor) => {
      let at = anchor;
      const months: number[] = [];
      for (let i = 0; i < 24; i++) {
        at = nextResetAfter('MONTH_ROLLING', anchor, at)!;
        const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
        expect(at.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), last));
        months.push(at.getUTCFullYear() * 12 + at.getUTCMonth());
      }
      months.forEach((m, i) => i > 0 && expect(m - months[i - 1]).toBe(1));
    }), { numRuns: 500 });
  });

  it('walks 31 Jan → 29 Feb (leap) → 31 Mar → 30 Apr, and 31 Jan → 28 Feb in a common year', () => {
    const anchor = iso('2024-01-31T15:00:00Z');
    const seq: string[] = [];
    for (let at: Date = anchor, i = 0; i < 4; i++) seq.push((at = nextResetAfter('MONTH_ROLLING', anchor, at)!).toISOString().slice(0, 10));
    expect(seq).toEqual(['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']);
    expect(nextResetAfter('MONTH_ROLLING', iso('2023-01-31T00:00:00Z'), iso('2023-01-31T00:00:00Z'))).toEqual(iso('2023-02-28T00:00:00Z'));
  });

  it('YEAR from 29 Feb resets on 28 Feb in common years and 29 Feb in leap years; 2100 is not leap', () => {
    const anchor = iso('2024-02-29T10:00:00Z');
    expect(nextResetAfter('YEAR', anchor, anchor)).toEqual(iso('2025-02-28T00:00:00Z'));
    expect(nextResetAfter('YEAR', anchor, iso('2027-03-01T00:00:00Z'))).toEqual(iso('2028-02-29T00:00:00Z'));
    expect(nextResetAfter('YEAR', anchor, iso('2099-12-31T00:00:00Z'))).toEqual(iso('2100-02-28T00:00:00Z'));
  });

  it('MONTH is the 1st, DAY the next midnight, WEEK the start weekday; a boundary itself is not "after"', () => {
    expect(nextResetAfter('MONTH', iso('2026-12-01T00:00:00Z'), iso('2026-12-31T23:59:59Z'))).toEqual(iso('2027-01-01T00:00:00Z'));
    expect(nextResetAfter('MONTH', iso('2026-12-01T00:00:00Z'), iso('2027-01-01T00:00:00Z'))).toEqual(iso('2027-02-01T00:00:00Z'));
    expect(nextResetAfter('DAY', iso('2026-12-01T00:00:00Z'), iso('2028-02-28T12:00:00Z'))).toEqual(iso('2028-02-29T00:00:00Z'));
    // 2026-12-04 is a Friday: weekly resets are on Fridays.
    expect(nextResetAfter('WEEK', iso('2026-12-04T18:00:00Z'), iso('2026-12-04T18:00:00Z'))).toEqual(iso('2026-12-11T00:00:00Z'));
    expect(nextResetAfter('WEEK', iso('2026-12-04T18:00:00Z'), iso('2026-12-10T23:00:00Z'))).toEqual(iso('2026-12-11T00:00:00Z'));
    expect(nextResetAfter('NO_RESET', iso('2026-12-04T18:00:00Z'), iso('2026-12-10T23:00:00Z'))).toBeNull();
  });
});
