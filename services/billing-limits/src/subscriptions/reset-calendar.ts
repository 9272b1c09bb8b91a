import type { ResetStrategy } from '@vpn/contracts';

/*
 * When a subscription's usage resets. Every boundary is 00:00 UTC of a calendar day:
 * DAY every day; WEEK every 7 days on the weekday the subscription started; MONTH the 1st of each
 * month; MONTH_ROLLING the day of month it started, capped at the month's last day (31 Jan →
 * 28/29 Feb → 31 Mar); YEAR the day it started each year (29 Feb → 28 Feb in other years).
 */

const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** 00:00 UTC of `day` of the month, capped at the month's last day (month may overflow into the next year). */
function cappedDay(year: number, month: number, day: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day, daysInMonth(first.getUTCFullYear(), first.getUTCMonth()))));
}

function startOfDay(t: Date): number {
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
}

/** Whether 00:00 UTC of `day` is a reset of a subscription started at `anchor` (the definition the next function must agree with). */
export function isResetDay(strategy: ResetStrategy, anchor: Date, day: Date): boolean {
  const capped = (y: number, m: number) => Math.min(anchor.getUTCDate(), daysInMonth(y, m));
  switch (strategy) {
    case 'NO_RESET': return false;
    case 'DAY': return true;
    case 'WEEK': return day.getUTCDay() === anchor.getUTCDay();
    case 'MONTH': return day.getUTCDate() === 1;
    case 'MONTH_ROLLING': return day.getUTCDate() === capped(day.getUTCFullYear(), day.getUTCMonth());
    case 'YEAR': return day.getUTCMonth() === anchor.getUTCMonth() && day.getUTCDate() === capped(day.getUTCFullYear(), day.getUTCMonth());
  }
}

/** The first reset strictly after `after` of a subscription started at `anchor`; null for NO_RESET. */
export function nextResetAfter(strategy: ResetStrategy, anchor: Date, after: Date): Date | null {
  const y = after.getUTCFullYear();
  const m = after.getUTCMonth();
  const later = (candidate: Date, otherwise: () => Date) => (candidate.getTime() > after.getTime() ? candidate : otherwise());
  switch (strategy) {
    case 'NO_RESET': return null;
    case 'DAY': return new Date(startOfDay(after) + DAY_MS);
    case 'WEEK': {
      const tomorrow = new Date(startOfDay(after) + DAY_MS);
      return new Date(tomorrow.getTime() + ((anchor.getUTCDay() - tomorrow.getUTCDay() + 7) % 7) * DAY_MS);
    }
    case 'MONTH': return new Date(Date.UTC(y, m + 1, 1));
    case 'MONTH_ROLLING': return later(cappedDay(y, m, anchor.getUTCDate()), () => cappedDay(y, m + 1, anchor.getUTCDate()));
    case 'YEAR': {
      const inYear = (year: number) => cappedDay(year, anchor.getUTCMonth(), anchor.getUTCDate());
      return later(inYear(y), () => inYear(y + 1));
    }
  }
}
