import { connect, type Socket } from 'node:net';

interface Pending {
  resolve: (r: { status: number; body: string }) => void;
  reject: (e: Error) => void;
}

/** One kept-alive HTTP/1.1 connection carrying one request at a time. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(request: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
    const headerEnd = this.buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.buffer.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isFinite(length)) return this.fail(new Error('response without Content-Length'));
    if (this.buffer.length < headerEnd + 4 + length) return;
    const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(headerEnd + 4 + length);
    const p = this.pending;
    this.pending = null;
    p?.resolve({ status: Number(head.slice(9, 12)), body });
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }
}

/**
 * The load generator's HTTP client: a few lines of HTTP/1.1 on kept-alive sockets, one request in
 * flight per socket. It shares the machine with the system under test, so it must cost as little CPU
 * per request as it can (fetch costs several times more, node:http about twice as much).
 */
export class LoadClient {
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  async post(path: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
    const payload = JSON.stringify(body);
    const request = `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAuthorization: Bearer ${token}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
    const conn = this.idle.pop() ?? (await this.open());
    try {
      const res = await conn.send(request);
      this.idle.push(conn);
      return res;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  close(): void {
    for (const c of this.all) c.close();
  }

  private async open(): Promise<Connection> {
    const c = new Connection(connect(this.port, this.host));
    this.all.push(c);
    await c.ready;
    return c;
  }
}
