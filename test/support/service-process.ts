import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

const ENTRIES = {
  gateway: 'gateway/src/main.ts',
  auth: 'services/auth/src/main.ts',
  'billing-limits': 'services/billing-limits/src/main.ts',
  provisioning: 'services/provisioning/src/main.ts',
  sync: 'services/sync/src/main.ts',
  audit: 'services/audit/src/main.ts',
} as const;

export type ServiceProcessName = keyof typeof ENTRIES;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A service running as its own OS process (`npm run start:<service>` without the build step). */
export class ServiceProcess {
  private exitCode: number | null | undefined;
  /** The signal that ended the process (e.g. SIGKILL from a crash point), once it has exited. */
  exitSignal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;
  readonly output: string[] = [];

  private constructor(readonly name: ServiceProcessName, readonly child: ChildProcess, readonly healthPort: number) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : 0);
      this.exitSignal = signal;
      resolve();
    }));
    child.stdout?.on('data', (d: Buffer) => this.keep(d));
    child.stderr?.on('data', (d: Buffer) => this.keep(d));
  }

  static async start(name: ServiceProcessName, env: Record<string, string>): Promise<ServiceProcess> {
    const healthPort = name === 'gateway' ? Number(env.PORT) : await freePort();
    const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts/ts-register.cjs'), join(ROOT, ENTRIES[name])], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, HEALTH_PORT: String(healthPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child, healthPort);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** Waits for /health 200, or fails early when the process dies. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const path = this.name === 'gateway' ? '/api/health' : '/health';
    while (Date.now() < until) {
      if (!this.alive) throw new Error(`${this.name} exited with ${this.exitCode}:\n${this.output.join('').slice(-3000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.healthPort}${path}`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} not ready in ${timeoutMs} ms:\n${this.output.join('').slice(-3000)}`);
  }

  async waitForExit(timeoutMs = 30_000): Promise<number | null | undefined> {
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, timeoutMs))]);
    return this.exitCode;
  }

  /** kill -9 (or another signal) by PID, then waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      return;
    }
    await this.waitForExit(15_000);
    if (this.alive) process.kill(this.pid, 'SIGKILL');
  }

  private keep(d: Buffer): void {
    this.output.push(d.toString());
    if (this.output.length > 200) this.output.shift();
  }
}
