import { parseMaxDevices, parsePlanName } from './plan-input';

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
