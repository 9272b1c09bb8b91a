// Stops what the global setup started (by handle or PID) and removes its folders.
const fs = require('fs');

module.exports = async function globalTeardown() {
  const state = globalThis.__VPN_TEST_STATE__;
  // Called once per tier that set up; the first call stops everything (all tests have finished by then).
  if (!state || state.stopped) return;
  state.stopped = true;
  if (state.embeddedPostgres) await state.embeddedPostgres.stop().catch(() => undefined);
  if (state.natsPid) {
    try { process.kill(state.natsPid, 'SIGTERM'); } catch { /* already gone */ }
  }
  await Promise.all((state.containers ?? []).map((c) => c.stop().catch(() => undefined)));
  for (const dir of state.tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
};
