import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The auth context: users, refresh-token families, login attempts for throttling. */
export class Auth1764288100000 implements MigrationInterface {
  name = 'Auth1764288100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auth.users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'user')),
        disabled boolean NOT NULL DEFAULT false,
        token_version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_lower_key ON auth.users (lower(email))`);
    await q.query(`CREATE INDEX users_active_admins_idx ON auth.users (role) WHERE role = 'admin' AND NOT disabled`);
    await q.query(`
      CREATE TABLE auth.refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_hash_key ON auth.refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON auth.refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON auth.refresh_tokens (user_id)`);
    await q.query(`
      CREATE TABLE auth.login_attempts (
        id uuid PRIMARY KEY,
        account text NOT NULL,
        ip text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        succeeded boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX login_attempts_account_idx ON auth.login_attempts (account, at)`);
    await q.query(`CREATE INDEX login_attempts_ip_idx ON auth.login_attempts (ip, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.login_attempts`);
    await q.query(`DROP TABLE auth.refresh_tokens`);
    await q.query(`DROP TABLE auth.users`);
  }
}
