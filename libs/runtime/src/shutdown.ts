import type { Logger } from 'pino';

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Runs registered closers in reverse order of registration on SIGINT/SIGTERM, once,
 * with a deadline so a stuck dependency cannot keep the process alive forever.
 */
export class ShutdownCoordinator {
  private readonly closers: Closer[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly logger: Logger, private readonly deadlineMs = 15_000) {}

  register(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      this.logger.info({ signal }, 'shutting down');
      void this.shutdown().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.runClosers();
    return this.stopping;
  }

  private async runClosers(): Promise<void> {
    const timer = setTimeout(() => {
      this.logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, this.deadlineMs);
    timer.unref();
    for (const closer of [...this.closers].reverse()) {
      try {
        await closer.close();
      } catch (e) {
        this.logger.error({ err: e, closer: closer.name }, 'error while closing');
      }
    }
    clearTimeout(timer);
  }
}
