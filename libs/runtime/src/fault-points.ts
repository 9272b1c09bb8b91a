/**
 * Crash points for the fault tests: when VPN_FAULT_CRASH_AT names a point, the process kills itself
 * with SIGKILL on reaching it — the same as `kill -9` at exactly that line. Unset in production,
 * where this is a string comparison and nothing else.
 */
export type FaultPoint = 'saga.after-row' | 'saga.after-peer-add' | 'saga.after-commit';

const armed = process.env.VPN_FAULT_CRASH_AT ?? '';

export function faultPoint(point: FaultPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
