import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { Client, type ClientChannel } from 'ssh2';
import type { Logger } from '@vpn/runtime';
import { hostKeyFromBlob, parseHostKeyPin, pinMatches, type HostKey, type HostKeyPin } from './host-key';
import { SshError } from './ssh-error';

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Pinned OpenSSH key line or `SHA256:` fingerprint; null on first contact (the key seen is accepted and reported). */
  readonly hostKey: string | null;
}

/** Structurally the `RemoteCommand` of @vpn/wireguard: secrets only in stdin. */
export interface SshCommand {
  readonly command: string;
  readonly stdin?: string;
}

export interface ExecOptions {
  /** Deadline for the whole call (queueing, connecting, running); defaults to the pool's commandTimeoutMs. */
  readonly timeoutMs?: number;
  /** Return a non-zero exit instead of throwing COMMAND_FAILED. */
  readonly allowNonZeroExit?: boolean;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface SshPoolOptions {
  readonly privateKey: string | Buffer;
  readonly logger?: Logger;
  /** Concurrent channels per connection; below sshd's MaxSessions (10). */
  readonly maxChannelsPerHost?: number;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
}

const MAX_STDERR = 64 * 1024;

class Deadline {
  private timer: NodeJS.Timeout | undefined;
  readonly expired: Promise<never>;
  private fire!: () => void;
  onExpire: (() => void) | null = null;
  constructor(ms: number, what: () => string) {
    this.expired = new Promise<never>((_, reject) => {
      this.fire = () => {
        this.onExpire?.();
        reject(new SshError('TIMEOUT', `${what()} did not finish within ${ms} ms`));
      };
    });
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => this.fire(), ms);
  }
  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.expired]);
  }
  clear(): void {
    clearTimeout(this.timer);
  }
}

/** One SSH connection to one server, shared by up to maxChannels concurrent commands. */
class HostConnection {
  readonly client = new Client();
  readonly ready: Promise<void>;
  seenHostKey: HostKey | null = null;
  active = 0;
  closed = false;
  /** Retired connections take no new commands and end when their last command finishes. */
  retired = false;
  private readonly waiters: Array<{ grant: () => void; cancelled: boolean }> = [];
  private readonly closeListeners = new Set<(err: SshError) => void>();
  private closeError: SshError | null = null;

  constructor(
    readonly key: string,
    readonly target: SshTarget,
    private readonly opts: Required<Omit<SshPoolOptions, 'logger'>>,
    private readonly onGone: (c: HostConnection) => void,
  ) {
    const pin: HostKeyPin | null = target.hostKey === null ? null : parseHostKeyPin(target.hostKey);
    let mismatch = false;
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (err: SshError) => {
        this.markClosed(err);
        reject(err);
      };
      this.client.once('ready', () => {
        this.client.setNoDelay(true);
        resolve();
      });
      this.client.on('error', (e: Error & { level?: string; code?: string }) => {
        const where = `${target.username}@${target.host}:${target.port}`;
        let err: SshError;
        if (mismatch) {
          err = new SshError('HOST_KEY_MISMATCH', `host key of ${where} is ${this.seenHostKey?.fingerprint}, not the pinned one`, {
            seenHostKey: this.seenHostKey?.key,
          });
        } else if (e.level === 'client-authentication') {
          err = new SshError('AUTH_FAILED', `${where} refused the provisioner key`, { cause: e });
        } else if (e.level === 'client-timeout') {
          err = new SshError('UNREACHABLE', `${where} did not complete the SSH handshake within ${opts.connectTimeoutMs} ms`, { cause: e });
        } else {
          err = new SshError('UNREACHABLE', `${where}: ${e.code ?? e.message}`, { cause: e });
        }
        fail(err);
      });
      this.client.on('close', () => fail(new SshError('UNREACHABLE', `connection to ${target.host}:${target.port} closed`)));
    });
    this.ready.catch(() => undefined);
    this.client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: opts.privateKey,
      readyTimeout: opts.connectTimeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs,
      keepaliveCountMax: opts.keepaliveCountMax,
      hostVerifier: (blob: Buffer) => {
        this.seenHostKey = hostKeyFromBlob(blob);
        mismatch = pin !== null && !pinMatches(pin, blob);
        return !mismatch;
      },
    });
    this.client.setNoDelay(true);
  }

  get usable(): boolean {
    return !this.closed && !this.retired;
  }

  /** A channel slot now (null) or a wait that resolves true once granted; cancel() undoes either. */
  acquire(): { wait: Promise<void> | null; cancel: () => void } {
    if (this.active < this.opts.maxChannelsPerHost) {
      this.active++;
      return { wait: null, cancel: () => this.release() };
    }
    let granted = false;
    const waiter = { grant: () => undefined as void, cancelled: false };
    const wait = new Promise<void>((resolve) => {
      waiter.grant = () => {
        granted = true;
        resolve();
      };
    });
    this.waiters.push(waiter);
    return {
      wait,
      cancel: () => {
        if (granted) this.release();
        else waiter.cancelled = true;
      },
    };
  }

  release(): void {
    for (let next = this.waiters.shift(); next; next = this.waiters.shift()) {
      if (!next.cancelled) {
        next.grant();
        return;
      }
    }
    this.active--;
    if (this.retired && this.active === 0) this.destroy();
  }

  onClose(listener: (err: SshError) => void): () => void {
    if (this.closeError) {
      listener(this.closeError);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  retire(): void {
    this.retired = true;
    this.onGone(this);
    if (this.active === 0) this.destroy();
  }

  destroy(): void {
    this.client.end();
    setTimeout(() => this.client.destroy(), 1000).unref();
    this.markClosed(new SshError('UNREACHABLE', 'connection closed by the pool'));
  }

  private markClosed(err: SshError): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = err;
    this.onGone(this);
    for (const l of this.closeListeners) l(err);
    this.closeListeners.clear();
  }
}

/**
 * A long-lived `sh` on one channel: each command is written to its stdin followed by a marker line
 * carrying the exit status, so a command costs one write and one read — no channel, session and
 * shell start per command. One command at a time; a command's own stdin is /dev/null and its
 * stderr joins its stdout. Any doubt (deadline passed, channel gone) ends the session; the next
 * command starts a fresh one.
 */
class ShellSession {
  private buffer = '';
  private current: { marker: string; resolve: (r: { output: string; exitCode: number }) => void; reject: (e: SshError) => void } | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private readonly nonce = randomBytes(8).toString('hex');
  closed = false;

  constructor(private readonly channel: ClientChannel, readonly conn: HostConnection, private readonly onEnd: () => void) {
    const out = new StringDecoder('utf8');
    channel.on('data', (d: Buffer) => this.onData(out.write(d)));
    channel.stderr.on('data', () => undefined); // the shell's own complaints; commands' stderr goes to stdout
    channel.on('close', () => this.end(new SshError('UNREACHABLE', 'the remote shell ended')));
    channel.on('error', (e: Error) => this.end(new SshError('UNREACHABLE', `remote shell channel error: ${e.message}`, { cause: e })));
    conn.onClose((err) => this.end(new SshError('UNREACHABLE', `connection lost while running a command: ${err.message}`)));
  }

  /** Runs one command after the ones before it; the deadline covers the wait and the run. */
  run(command: string, deadline: Deadline): Promise<{ output: string; exitCode: number }> {
    const result = this.tail.then(() => this.runNow(command, deadline));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private runNow(command: string, deadline: Deadline): Promise<{ output: string; exitCode: number }> {
    if (this.closed) return Promise.reject(new SshError('UNREACHABLE', 'the remote shell ended', { commandStarted: false }));
    const marker = `__vpn_done_${this.nonce}_${++this.seq}`;
    const done = new Promise<{ output: string; exitCode: number }>((resolve, reject) => {
      this.current = { marker, resolve, reject };
    });
    // The marker follows a newline of its own, so it starts a line whatever the command printed.
    this.channel.write(`{ ${command}\n} </dev/null 2>&1; printf '\\n%s %s\\n' ${marker} "$?"\n`);
    deadline.onExpire = () => this.end(new SshError('TIMEOUT', 'the command did not finish in time; remote shell closed'));
    return deadline.race(done).finally(() => {
      deadline.onExpire = null;
    });
  }

  end(err: SshError): void {
    if (this.closed) return;
    this.closed = true;
    this.onEnd();
    this.channel.close();
    const c = this.current;
    this.current = null;
    c?.reject(err);
  }

  private onData(text: string): void {
    this.buffer += text;
    const c = this.current;
    if (!c) return;
    const at = this.buffer.indexOf(`\n${c.marker} `);
    if (at < 0) return;
    const eol = this.buffer.indexOf('\n', at + 1);
    if (eol < 0) return;
    const exitCode = Number(this.buffer.slice(at + c.marker.length + 2, eol));
    const output = this.buffer.slice(0, at);
    this.buffer = this.buffer.slice(eol + 1);
    this.current = null;
    c.resolve({ output, exitCode: Number.isInteger(exitCode) ? exitCode : 255 });
  }
}

/**
 * SSH command pool: one connection per server reused, channels per connection capped below
 * sshd's MaxSessions, deadlines on everything. Never logs stdin or command output.
 */
export class SshPool {
  private readonly opts: Required<Omit<SshPoolOptions, 'logger'>>;
  private readonly logger: Logger | undefined;
  private readonly connections = new Map<string, HostConnection>();
  private readonly shells = new Map<string, Promise<ShellSession>>();
  private closed = false;

  constructor(options: SshPoolOptions) {
    this.opts = {
      privateKey: options.privateKey,
      maxChannelsPerHost: Math.min(Math.max(options.maxChannelsPerHost ?? 8, 1), 10),
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 30_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 5_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
    };
    this.logger = options.logger;
  }

  /** Runs a command; throws SshError (COMMAND_FAILED on a non-zero exit unless allowNonZeroExit). */
  async exec(target: SshTarget, cmd: SshCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const chunks: string[] = [];
    const r = await this.execStream(target, cmd, (c) => chunks.push(c), options);
    return { stdout: chunks.join(''), stderr: r.stderr, exitCode: r.exitCode };
  }

  /** Like exec, but stdout goes to `onStdout` as it arrives (UTF-8 safe chunks); nothing is buffered. */
  async execStream(
    target: SshTarget,
    cmd: SshCommand,
    onStdout: (chunk: string) => void,
    options: ExecOptions = {},
  ): Promise<{ stderr: string; exitCode: number }> {
    if (this.closed) throw new SshError('UNREACHABLE', 'pool is closed');
    const timeoutMs = options.timeoutMs ?? this.opts.commandTimeoutMs;
    const started = performance.now();
    const deadline = new Deadline(timeoutMs, () => `command on ${target.host}:${target.port}`);
    let conn: HostConnection | null = null;
    let holding = false;
    let commandStarted = false;
    try {
      conn = this.connectionFor(target);
      const c = conn;
      await deadline.race(c.ready);
      await this.acquireSlot(c, deadline);
      holding = true;
      commandStarted = true;
      const result = await this.runChannel(c, cmd, onStdout, deadline);
      this.logger?.debug({ host: target.host, exitCode: result.exitCode, ms: Math.round(performance.now() - started) }, 'ssh exec');
      if (result.exitCode !== 0 && !options.allowNonZeroExit) {
        throw new SshError('COMMAND_FAILED', `remote command exited with ${result.exitCode}${result.signal ? ` (${result.signal})` : ''}`, {
          exitCode: result.exitCode,
          signal: result.signal,
          stderr: result.stderr,
        });
      }
      return { stderr: result.stderr, exitCode: result.exitCode };
    } catch (e) {
      if (e instanceof SshError && !commandStarted) e.details.commandStarted = false;
      if (e instanceof SshError && e.kind === 'TIMEOUT' && conn) {
        // A command past its deadline may sit on a half-open connection: new commands get a fresh one.
        conn.retire();
      }
      if (e instanceof SshError && e.kind !== 'COMMAND_FAILED') {
        this.logger?.warn({ host: target.host, port: target.port, kind: e.kind }, 'ssh exec failed');
      }
      throw e;
    } finally {
      deadline.clear();
      if (holding && conn) conn.release();
    }
  }

  /** Connects, verifies nothing, and reports the host key seen (for registration to pin). */
  async probeHostKey(target: Omit<SshTarget, 'hostKey'>, timeoutMs = this.opts.connectTimeoutMs): Promise<HostKey> {
    const conn = new HostConnection('probe', { ...target, hostKey: null }, { ...this.opts, connectTimeoutMs: timeoutMs }, () => undefined);
    try {
      await conn.ready;
      if (!conn.seenHostKey) throw new SshError('UNREACHABLE', 'no host key seen');
      return conn.seenHostKey;
    } finally {
      conn.destroy();
    }
  }

  /**
   * Like exec, through a long-lived shell on the server (one per target): the cheapest way to run
   * many short commands. A command with stdin (a secret, a long input) goes through exec instead.
   * stderr is folded into stdout (and into COMMAND_FAILED's details.stderr).
   */
  async runInShell(target: SshTarget, cmd: SshCommand, options: ExecOptions = {}): Promise<ExecResult> {
    if (cmd.stdin !== undefined) return this.exec(target, cmd, options);
    if (this.closed) throw new SshError('UNREACHABLE', 'pool is closed', { commandStarted: false });
    const deadline = new Deadline(options.timeoutMs ?? this.opts.commandTimeoutMs, () => `command on ${target.host}:${target.port}`);
    try {
      let session: ShellSession;
      try {
        session = await deadline.race(this.shellFor(target));
      } catch (e) {
        if (e instanceof SshError) e.details.commandStarted = false;
        throw e;
      }
      const r = await session.run(cmd.command, deadline).catch((e: unknown) => {
        // Past its deadline the connection may be half-open: the next shell gets a fresh one.
        if (e instanceof SshError && e.kind === 'TIMEOUT') session.conn.retire();
        throw e;
      });
      if (r.exitCode !== 0 && !options.allowNonZeroExit) {
        throw new SshError('COMMAND_FAILED', `remote command exited with ${r.exitCode}`, { exitCode: r.exitCode, stderr: r.output.slice(0, MAX_STDERR) });
      }
      return { stdout: r.output, stderr: '', exitCode: r.exitCode };
    } catch (e) {
      if (e instanceof SshError && e.kind !== 'COMMAND_FAILED') {
        this.logger?.warn({ host: target.host, port: target.port, kind: e.kind }, 'ssh shell command failed');
      }
      throw e;
    } finally {
      deadline.clear();
    }
  }

  /** The live shell session to a target, opened on first use (it holds one channel of the connection). */
  private async shellFor(target: SshTarget): Promise<ShellSession> {
    const key = `${target.username}@${target.host}:${target.port}#${target.hostKey ?? ''}`;
    for (let existing = this.shells.get(key); existing; existing = this.shells.get(key)) {
      const s = await existing.catch(() => null);
      if (s && !s.closed) return s;
      if (this.shells.get(key) === existing) this.shells.delete(key); // else another caller opened one meanwhile: use it
    }
    const opening = this.openShell(target, () => {
      if (this.shells.get(key) === opening) this.shells.delete(key);
    });
    this.shells.set(key, opening);
    opening.catch(() => {
      if (this.shells.get(key) === opening) this.shells.delete(key);
    });
    return opening;
  }

  private async openShell(target: SshTarget, onEnd: () => void): Promise<ShellSession> {
    const conn = this.connectionFor(target);
    await conn.ready;
    const deadline = new Deadline(this.opts.connectTimeoutMs, () => `opening a shell on ${target.host}:${target.port}`);
    try {
      await this.acquireSlot(conn, deadline);
    } finally {
      deadline.clear();
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      conn.release();
    };
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        let attempt = 0;
        const open = () => conn.client.exec('sh', (err, ch) => {
          if (err) {
            if (!conn.closed && attempt < 30) {
              setTimeout(open, Math.min(2 ** attempt++, 50));
              return;
            }
            reject(new SshError('UNREACHABLE', `could not open a shell channel: ${err.message}`, { cause: err }));
            return;
          }
          resolve(ch);
        });
        open();
      });
      return new ShellSession(channel, conn, () => {
        release();
        onEnd();
      });
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Ends every connection; commands still running fail with UNREACHABLE. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      all.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.closed) return resolve();
            c.client.once('close', () => resolve());
            c.destroy();
            setTimeout(resolve, 1500).unref();
          }),
      ),
    );
  }

  private connectionFor(target: SshTarget): HostConnection {
    const key = `${target.username}@${target.host}:${target.port}#${target.hostKey ?? ''}`;
    const existing = this.connections.get(key);
    if (existing?.usable) return existing;
    this.logger?.debug({ host: target.host, port: target.port }, 'ssh connect');
    const conn = new HostConnection(key, target, this.opts, (c) => {
      if (this.connections.get(c.key) === c) this.connections.delete(c.key);
    });
    this.connections.set(key, conn);
    return conn;
  }

  private async acquireSlot(c: HostConnection, deadline: Deadline): Promise<void> {
    const slot = c.acquire();
    if (!slot.wait) return;
    let off: () => void = () => undefined;
    const closed = new Promise<void>((_, reject) => {
      off = c.onClose(reject);
    });
    try {
      await deadline.race(Promise.race([slot.wait, closed]));
    } catch (e) {
      slot.cancel();
      throw e;
    } finally {
      off();
    }
  }

  private runChannel(
    c: HostConnection,
    cmd: SshCommand,
    onStdout: (chunk: string) => void,
    deadline: Deadline,
  ): Promise<{ stderr: string; exitCode: number; signal: string | null }> {
    return new Promise((resolve, reject) => {
      let stream: ClientChannel | null = null;
      let settled = false;
      const done = (err: SshError | null, value?: { stderr: string; exitCode: number; signal: string | null }) => {
        if (settled) return;
        settled = true;
        offClose();
        deadline.onExpire = null;
        if (err) {
          stream?.close();
          reject(err);
        } else resolve(value!);
      };
      const offClose = c.onClose((err) => done(new SshError('UNREACHABLE', `connection lost while running a command: ${err.message}`)));
      deadline.expired.catch((e: SshError) => done(e));
      let attempt = 0;
      const open = () =>
        c.client.exec(cmd.command, (err, ch) => {
          if (err) {
            // sshd frees a finished session a loop turn after its close: an open racing it is refused
            // as if MaxSessions were reached. That is transient: retry shortly, within the deadline.
            if (!settled && !c.closed && attempt < 30) {
              setTimeout(open, Math.min(2 ** attempt++, 50));
              return;
            }
            return done(new SshError('UNREACHABLE', `could not open a channel: ${err.message}`, { cause: err }));
          }
          onOpen(ch);
        });
      const onOpen = (ch: ClientChannel) => {
        stream = ch;
        if (settled) {
          ch.close();
          return;
        }
        const out = new StringDecoder('utf8');
        const errDec = new StringDecoder('utf8');
        let stderr = '';
        let exitCode: number | null = null;
        let signal: string | null = null;
        ch.on('data', (d: Buffer) => {
          const s = out.write(d);
          if (s) onStdout(s);
        });
        ch.stderr.on('data', (d: Buffer) => {
          if (stderr.length < MAX_STDERR) stderr += errDec.write(d).slice(0, MAX_STDERR - stderr.length);
        });
        ch.on('exit', (code: number | null, sig?: string) => {
          exitCode = code;
          signal = sig ?? null;
        });
        ch.on('close', () => {
          const tail = out.end();
          if (tail) onStdout(tail);
          if (exitCode === null && signal === null) {
            done(new SshError('UNREACHABLE', 'channel closed without an exit status'));
          } else {
            done(null, { stderr, exitCode: exitCode ?? 255, signal });
          }
        });
        ch.on('error', (e: Error) => done(new SshError('UNREACHABLE', `channel error: ${e.message}`, { cause: e })));
        if (cmd.stdin !== undefined) ch.end(cmd.stdin);
        else ch.end();
      };
      open();
    });
  }
}
