import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts a person manages alone: TOTP on the user (secret pending until confirmed, the last used
 * time step against replays), single-use recovery codes and password-reset tokens (both stored as
 * sha256 only).
 */
export class AuthAccounts1764289100000 implements MigrationInterface {
  name = 'AuthAccounts1764289100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE auth.users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
        ADD COLUMN totp_last_step bigint,
        ADD CONSTRAINT users_totp_enabled_has_secret CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)`);
    await q.query(`
      CREATE TABLE auth.recovery_codes (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX recovery_codes_user_hash_key ON auth.recovery_codes (user_id, code_hash)`);
    await q.query(`
      CREATE TABLE auth.password_reset_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX password_reset_tokens_hash_key ON auth.password_reset_tokens (token_hash)`);
    await q.query(`CREATE INDEX password_reset_tokens_user_idx ON auth.password_reset_tokens (user_id)`);
    // token-state reads the sessions a user ended recently on every cache miss.
    await q.query(`CREATE INDEX refresh_tokens_user_revoked_idx ON auth.refresh_tokens (user_id, revoked_at) WHERE revoked_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auth.refresh_tokens_user_revoked_idx`);
    await q.query(`DROP TABLE auth.password_reset_tokens`);
    await q.query(`DROP TABLE auth.recovery_codes`);
    await q.query(`ALTER TABLE auth.users DROP CONSTRAINT users_totp_enabled_has_secret, DROP COLUMN totp_last_step, DROP COLUMN totp_enabled, DROP COLUMN totp_secret`);
  }
}
