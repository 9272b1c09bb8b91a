import { isDatabaseUnavailable } from './db-errors';

describe(isDatabaseUnavailable.name, () => {
  it.each([
    { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    { driverError: { code: '57P01', message: 'terminating connection due to administrator command' } },
    { code: '08006' },
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
  ])('is true for an outage: %p', (e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    { code: '23505', message: 'duplicate key value violates unique constraint' },
    { driverError: { code: '42601', message: 'syntax error' } },
    new Error('injected commit failure'),
    null,
  ])('is false for a statement error: %p', (e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
