import { createDataSource, openDatabase, runMigrations, MIGRATIONS } from '../src';
import { createTestDatabase, type TestDatabase } from '@vpn/testing';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('bring a fresh database to the full schema, and are a no-op the second time', async () => {
    const ds = await openDatabase({ url: db.url });
    try {
      const schemas: Array<{ nspname: string }> = await ds.query(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`, [['audit', 'auth', 'billing', 'messaging', 'vpn']]);
      expect(schemas.map((s) => s.nspname)).toEqual(['audit', 'auth', 'billing', 'messaging', 'vpn']);
      const applied: Array<{ name: string }> = await ds.query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
      expect(await runMigrations(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('let many processes start at once: exactly one migrates', async () => {
    const fresh = await createTestDatabase('migrations_race');
    const sources = Array.from({ length: 4 }, () => createDataSource({ url: fresh.url, poolSize: 2 }));
    try {
      await Promise.all(sources.map((s) => s.initialize()));
      const ran = await Promise.all(sources.map((s) => runMigrations(s)));
      expect(ran.flat()).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
      await fresh.drop();
    }
  });
});
