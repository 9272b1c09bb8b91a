import { WgParseError, quote } from './errors';
import { parseCidr, parseEndpoint, type IpCidr, type WgEndpoint } from './ip';
import { WgPresharedKey, parsePublicKey, type WgPrivateKey, type WgPublicKey } from './keys';

/** The interface line of `wg show <if> dump`, without its private key (dropped at parse time). */
export interface WgDumpInterface {
  readonly publicKey: WgPublicKey | null;
  readonly listenPort: number;
  readonly fwmark: number | null;
}

export interface WgDumpPeer {
  readonly publicKey: WgPublicKey;
  /** Whether the peer has a preshared key; the key itself is never kept. */
  readonly hasPresharedKey: boolean;
  readonly endpoint: WgEndpoint | null;
  readonly allowedIps: readonly IpCidr[];
  /** null when the peer never completed a handshake (dump prints 0). */
  readonly latestHandshake: Date | null;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly persistentKeepalive: number | null;
}

export interface WgDump {
  readonly interface: WgDumpInterface;
  readonly peers: readonly WgDumpPeer[];
}

const NONE = '(none)';

function uint(field: string, value: string, lineNo: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(value) || Number(value) > max) {
    throw new WgParseError(`dump line ${lineNo} ${field}`, quote(value), `must be an integer 0..${max}`);
  }
  return Number(value);
}

/**
 * Incremental, strict parser of `wg show <if> dump`: feed it stdout chunks as they arrive (a dump of
 * 10,000 peers is ~2 MB and is never buffered whole). Any unexpected line is an error naming its
 * number; a line's secret fields (private key, preshared key) are never echoed.
 */
export class DumpParser {
  private rest = '';
  private lineNo = 0;
  private itf: WgDumpInterface | null = null;
  private readonly peers: WgDumpPeer[] = [];
  private ended = false;

  feed(chunk: string): void {
    if (this.ended) throw new Error('DumpParser: feed after end');
    const text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(): WgDump {
    if (!this.ended) {
      this.ended = true;
      if (this.rest !== '') this.line(this.rest);
      this.rest = '';
    }
    if (!this.itf) throw new WgParseError('dump', null, 'empty: no interface line');
    return { interface: this.itf, peers: this.peers };
  }

  private line(line: string): void {
    const n = ++this.lineNo;
    const f = line.split('\t');
    if (this.itf === null) {
      // private-key public-key listen-port fwmark; field 0 is a secret.
      if (f.length !== 4) throw new WgParseError(`dump line ${n}`, null, `interface line must have 4 fields, got ${f.length}`);
      this.itf = {
        publicKey: f[1] === NONE ? null : parsePublicKey(f[1]),
        listenPort: uint('listen-port', f[2], n, 65535),
        fwmark: f[3] === 'off' ? null : parseFwmark(f[3], n),
      };
      return;
    }
    if (f.length !== 8) {
      const shown = f.length >= 2 ? [f[0], '[redacted]', ...f.slice(2)].join('\\t') : line;
      throw new WgParseError(`dump line ${n}`, quote(shown), `peer line must have 8 fields, got ${f.length}`);
    }
    if (f[1] !== NONE) WgPresharedKey.parse(f[1]);
    const handshake = uint('latest-handshake', f[4], n);
    this.peers.push({
      publicKey: parsePublicKey(f[0]),
      hasPresharedKey: f[1] !== NONE,
      endpoint: f[2] === NONE ? null : parseEndpoint(f[2]),
      allowedIps: f[3] === NONE ? [] : f[3].split(',').map((a) => parseCidr(a)),
      latestHandshake: handshake === 0 ? null : new Date(handshake * 1000),
      rxBytes: uint('transfer-rx', f[5], n),
      txBytes: uint('transfer-tx', f[6], n),
      persistentKeepalive: f[7] === 'off' ? null : uint('persistent-keepalive', f[7], n, 65535),
    });
  }
}

function parseFwmark(value: string, lineNo: number): number {
  if (/^0x[0-9a-f]{1,8}$/.test(value)) return parseInt(value.slice(2), 16);
  return uint('fwmark', value, lineNo, 0xffffffff);
}

/** Parses a whole `wg show <if> dump` output. */
export function parseDump(text: string): WgDump {
  const p = new DumpParser();
  p.feed(text);
  return p.end();
}

/** Writes a dump in `wg show <if> dump` format (test doubles, fixtures). Preshared keys are random placeholders. */
export function renderDump(dump: WgDump, privateKey: WgPrivateKey | null = null): string {
  const itf = dump.interface;
  const lines = [
    [privateKey ? privateKey.toBase64() : NONE, itf.publicKey ?? NONE, itf.listenPort, itf.fwmark === null ? 'off' : `0x${itf.fwmark.toString(16)}`].join('\t'),
  ];
  for (const p of dump.peers) {
    lines.push(
      [
        p.publicKey,
        p.hasPresharedKey ? WgPresharedKey.generate().toBase64() : NONE,
        p.endpoint ?? NONE,
        p.allowedIps.length ? p.allowedIps.join(',') : NONE,
        p.latestHandshake ? Math.floor(p.latestHandshake.getTime() / 1000) : 0,
        p.rxBytes,
        p.txBytes,
        p.persistentKeepalive ?? 'off',
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}
