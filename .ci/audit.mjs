#!/usr/bin/env node
// `npm audit` of what ships (runtime dependencies): exits 1 on a high or critical advisory, prints a
// warning and exits 0 when the registry's audit endpoint cannot be reached or answers with an error.
import { spawnSync } from 'node:child_process';

const TIMEOUT_MS = 120_000;
const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });

function skip(why) {
  process.stderr.write(`WARNING: npm audit skipped: ${why}\n`);
  process.exit(0);
}

if (r.error) skip(r.error.code === 'ETIMEDOUT' ? `no answer within ${TIMEOUT_MS / 1000} s` : r.error.message);
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  skip(`unreadable answer (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
}
// An answer without vulnerability metadata is an error from the registry (offline, 4xx/5xx, proxy).
const counts = report?.metadata?.vulnerabilities;
if (!counts) skip(report?.message ?? report?.error?.summary ?? `no audit report (exit ${r.status})`);

const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) => v.severity === 'high' || v.severity === 'critical');
process.stdout.write(`npm audit (runtime dependencies): ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
for (const [name, v] of serious) {
  const via = v.via.map((x) => (typeof x === 'string' ? x : `${x.title} ${x.url ?? ''}`.trim())).join('; ');
  process.stdout.write(`  ${v.severity}: ${name} ${v.range} — ${via}${v.fixAvailable ? '' : ' (no fix available)'}\n`);
}
process.exit(serious.length > 0 ? 1 : 0);
