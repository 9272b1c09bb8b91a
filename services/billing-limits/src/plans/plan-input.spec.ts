import { parseMaxDevices, parsePlanName, parsePlanTerms } from './plan-input';

describe(parsePlanName.name, () => {
  it.each(['Free', 'Pro 2026', 'team-max_v1.2', 'Équipe'])('accepts %p', (name) => {
    expect(parsePlanName(name)).toBe(name);
  });

  it.each(['', ' Free', 'a'.repeat(65), 'x;rm -rf', 'a\nb', '$(id)', 42])('rejects %p', (name) => {
    expect(() => parsePlanName(name)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe(parseMaxDevices.name, () => {
  it.each([0, 3, 10_000])('accepts %p', (n) => {
    expect(parseMaxDevices(n)).toBe(n);
  });

  it.each([-1, 1.5, 10_001, '3', null])('rejects %p', (n) => {
    expect(() => parseMaxDevices(n)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe(parsePlanTerms.name, () => {
  it('keeps absent terms absent and parses present ones, null meaning unlimited', () => {
    expect(parsePlanTerms({})).toEqual({});
    expect(parsePlanTerms({ dataLimitBytes: null, durationDays: 30, resetStrategy: 'MONTH_ROLLING', startOnFirstConnect: true }))
      .toEqual({ dataLimitBytes: null, durationDays: 30, resetStrategy: 'MONTH_ROLLING', startOnFirstConnect: true });
  });

  it.each([
    [{ dataLimitBytes: -1 }, 'dataLimitBytes'], [{ dataLimitBytes: '5' }, 'dataLimitBytes'], [{ dataLimitBytes: 2 ** 53 }, 'dataLimitBytes'],
    [{ durationDays: 0 }, 'durationDays'], [{ durationDays: 36_501 }, 'durationDays'], [{ resetStrategy: 'month' }, 'resetStrategy'],
    [{ startOnFirstConnect: 1 }, 'startOnFirstConnect'],
  ])('rejects %p naming the field', (terms, field) => {
    expect(() => parsePlanTerms(terms)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) }));
  });
});
