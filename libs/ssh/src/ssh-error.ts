/**
 * What went wrong, so a caller can decide: UNREACHABLE and TIMEOUT may succeed on retry;
 * AUTH_FAILED and HOST_KEY_MISMATCH need an operator; COMMAND_FAILED is the remote command's own failure.
 */
export type SshErrorKind = 'UNREACHABLE' | 'AUTH_FAILED' | 'HOST_KEY_MISMATCH' | 'TIMEOUT' | 'COMMAND_FAILED';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly details: { exitCode?: number | null; signal?: string | null; stderr?: string; seenHostKey?: string; cause?: unknown; commandStarted?: boolean } = {},
  ) {
    super(`${kind}: ${message}`);
  }

  /** False when the failure came before the remote command could start: it certainly did not run. */
  get commandMayHaveRun(): boolean {
    return this.details.commandStarted !== false;
  }

  get retryable(): boolean {
    return this.kind === 'UNREACHABLE' || this.kind === 'TIMEOUT';
  }
}
