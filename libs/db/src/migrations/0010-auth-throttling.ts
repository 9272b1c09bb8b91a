import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auth throttling state shared by every replica: login failures per key (account + source address,
 * or source address) with the time the key's next attempt may run, and the HTTP rate-limit counters
 * behind the gateways' ThrottlerStorage (fixed windows with a block).
 */
export class AuthThrottling1764289000000 implements MigrationInterface {
  name = 'AuthThrottling1764289000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.login_failures (
        key text PRIMARY KEY,
        failures int NOT NULL,
        last_failure_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_failures_last_idx ON auth.login_failures (last_failure_at)`);
    await q.query(`
      CREATE TABLE auth.rate_limits (
        key text PRIMARY KEY,
        hits int NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await q.query(`CREATE INDEX rate_limits_window_idx ON auth.rate_limits (window_ends_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.rate_limits`);
    await q.query(`DROP TABLE auth.login_failures`);
  }
}
