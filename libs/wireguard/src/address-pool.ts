import { WgParseError, quote } from './errors';
import { cidrParts, formatIp, hostCidr, parseIpParts, parseNetworkCidr, type IpAddress, type IpCidr, type IpFamily } from './ip';

/** No more client addresses in the pool. */
export class AddressPoolExhaustedError extends Error {
  override readonly name = 'AddressPoolExhaustedError';
  constructor(readonly pool: IpCidr) {
    super(`address pool ${pool} is exhausted`);
  }
}

/** Most client slots one pool tracks (a 2 MiB bitmap); larger pools (big IPv6 prefixes) use their first 2^24. */
export const MAX_POOL_SLOTS = 1 << 24;
const FULL = 0xffffffff;

/**
 * Bitmap with one summary level per 32× fan-out (bit set = slot used / word full), so the lowest
 * free slot is found in O(log32 n) and a set or clear touches O(log32 n) words.
 */
/** Index of the lowest set bit of a non-zero 32-bit word. */
const lowestBit = (x: number): number => 31 - Math.clz32(x & -x);

class LowestFreeBitmap {
  private readonly levels: Uint32Array[] = [];
  private used = 0;

  constructor(readonly size: number) {
    let n = size;
    do {
      n = Math.ceil(n / 32);
      this.levels.push(new Uint32Array(Math.max(n, 1)));
    } while (n > 1);
    // Padding past the end reads as used, so it is never handed out.
    for (let i = size; i < this.levels[0].length * 32; i++) this.setAt(0, i);
    for (let k = 1; k < this.levels.length; k++) {
      for (let i = this.levels[k - 1].length; i < this.levels[k].length * 32; i++) this.setAt(k, i);
    }
  }

  get usedCount(): number {
    return this.used;
  }

  has(i: number): boolean {
    return ((this.levels[0][i >>> 5] >>> (i & 31)) & 1) === 1;
  }

  set(i: number): boolean {
    if (this.has(i)) return false;
    this.setAt(0, i);
    this.used++;
    return true;
  }

  clear(i: number): boolean {
    if (!this.has(i)) return false;
    this.clearAt(0, i);
    this.used--;
    return true;
  }

  lowestFree(): number {
    let idx = 0;
    for (let k = this.levels.length - 1; k >= 0; k--) {
      const word = this.levels[k][idx];
      if (word === FULL) return -1;
      const inv = ~word >>> 0;
      idx = idx * 32 + (31 - Math.clz32(inv & -inv));
    }
    return idx < this.size ? idx : -1;
  }

  /** The lowest free index ≥ `from`, or -1: O(levels), like lowestFree. */
  lowestFreeFrom(from: number): number {
    if (from <= 0) return this.lowestFree();
    const i = this.nextFree(0, from);
    return i >= 0 && i < this.size ? i : -1;
  }

  /** Lowest index ≥ i whose bit is clear at `level` (a clear bit above means a word below has room). */
  private nextFree(level: number, i: number): number {
    const words = this.levels[level];
    const w = i >>> 5;
    if (w >= words.length) return -1;
    const free = (~words[w] & (FULL << (i & 31))) >>> 0;
    if (free !== 0) return w * 32 + lowestBit(free);
    if (level + 1 >= this.levels.length) return -1;
    const next = this.nextFree(level + 1, w + 1);
    return next < 0 ? -1 : next * 32 + lowestBit(~words[next] >>> 0);
  }

  private setAt(level: number, i: number): void {
    const words = this.levels[level];
    const w = i >>> 5;
    words[w] = (words[w] | (1 << (i & 31))) >>> 0;
    if (words[w] === FULL && level + 1 < this.levels.length) this.setAt(level + 1, w);
  }

  private clearAt(level: number, i: number): void {
    const words = this.levels[level];
    const w = i >>> 5;
    const wasFull = words[w] === FULL;
    words[w] = (words[w] & ~(1 << (i & 31))) >>> 0;
    if (wasFull && level + 1 < this.levels.length) this.clearAt(level + 1, w);
  }
}

/**
 * A server's tunnel network. The first host is the server's own address; clients get the others,
 * never the network address nor (IPv4) the broadcast address.
 */
export class AddressPool {
  readonly family: IpFamily;
  readonly prefix: number;
  /** The server's own address (first host), e.g. `10.8.0.1`. */
  readonly serverAddress: IpAddress;
  /** Number of client addresses (excluding network, server and broadcast), capped at MAX_POOL_SLOTS. */
  readonly clientCapacity: number;
  private readonly network: bigint;
  private readonly firstClient: bigint;

  private constructor(readonly cidr: IpCidr) {
    const p = cidrParts(cidr);
    this.family = p.family;
    this.prefix = p.prefix;
    this.network = p.value;
    const hostBits = (p.family === 4 ? 32 : 128) - p.prefix;
    const size = 1n << BigInt(hostBits);
    const clients = size - (p.family === 4 ? 3n : 2n);
    this.clientCapacity = Number(clients > BigInt(MAX_POOL_SLOTS) ? BigInt(MAX_POOL_SLOTS) : clients);
    this.serverAddress = formatIp(p.family, p.value + 1n);
    this.firstClient = p.value + 2n;
  }

  /** A network CIDR with room for the server and at least one client (IPv4 ≤ /30, IPv6 ≤ /126). */
  static parse(text: unknown): AddressPool {
    const cidr = parseNetworkCidr(text);
    const { family, prefix } = cidrParts(cidr);
    if ((family === 4 && prefix > 30) || (family === 6 && prefix > 126)) {
      throw new WgParseError('address pool', quote(text), 'too small: needs a server and a client address');
    }
    return new AddressPool(cidr);
  }

  /** The server interface's address with the pool's prefix, e.g. `10.8.0.1/24`. */
  get serverInterfaceAddress(): IpCidr {
    return `${this.serverAddress}/${this.prefix}` as IpCidr;
  }

  /** Whether `address` is a client address of this pool (not network, server or broadcast). */
  isClientAddress(address: string): boolean {
    return this.slotOf(address) !== null;
  }

  /** `10.8.0.2` → `10.8.0.2/32`, after checking it is a client address of this pool. */
  clientCidr(address: string): IpCidr {
    const slot = this.slotOf(address);
    if (slot === null) throw new WgParseError('client address', quote(address), `not a client address of ${this.cidr}`);
    return hostCidr(this.addressOf(slot));
  }

  /** An allocator that knows the addresses in use; each allocate() is O(log n). */
  allocator(inUse: Iterable<string> = []): AddressAllocator {
    return new AddressAllocator(this, inUse);
  }

  /** One-shot: the lowest free client address given the addresses in use. */
  lowestFree(inUse: Iterable<string>): IpAddress {
    return this.allocator(inUse).allocate();
  }

  /** @internal slot index of a client address, or null when it is not one. */
  slotOf(address: string): number | null {
    let parsed;
    try {
      parsed = parseIpParts(address.endsWith('/32') || address.endsWith('/128') ? address.slice(0, address.lastIndexOf('/')) : address);
    } catch {
      return null;
    }
    if (parsed.family !== this.family) return null;
    const slot = parsed.value - this.firstClient;
    if (slot < 0n || slot >= BigInt(this.clientCapacity)) return null;
    return Number(slot);
  }

  /** @internal */
  addressOf(slot: number): IpAddress {
    return formatIp(this.family, this.firstClient + BigInt(slot));
  }
}

/** Tracks used client addresses of one pool and hands out the lowest free one. */
export class AddressAllocator {
  private readonly bitmap: LowestFreeBitmap;

  constructor(readonly pool: AddressPool, inUse: Iterable<string> = []) {
    this.bitmap = new LowestFreeBitmap(pool.clientCapacity);
    // Addresses outside the pool's client range (server, network, foreign) cannot collide: ignored.
    for (const a of inUse) this.reserve(a);
  }

  get freeCount(): number {
    return this.pool.clientCapacity - this.bitmap.usedCount;
  }

  /**
   * The lowest free client address, now marked used. With a lane (`index` of `count` equal slices of
   * the pool), the lowest free one in that slice first: replicas on separate lanes do not collide.
   */
  allocate(lane?: { index: number; count: number }): IpAddress {
    let slot = -1;
    if (lane && lane.count > 1) {
      const size = this.pool.clientCapacity;
      const lo = Math.floor((size * lane.index) / lane.count);
      const hi = Math.floor((size * (lane.index + 1)) / lane.count);
      const inLane = this.bitmap.lowestFreeFrom(lo);
      if (inLane >= 0 && inLane < hi) slot = inLane;
    }
    if (slot < 0) slot = this.bitmap.lowestFree();
    if (slot < 0) throw new AddressPoolExhaustedError(this.pool.cidr);
    this.bitmap.set(slot);
    return this.pool.addressOf(slot);
  }

  /** Marks an address used; false when it is not a client address of the pool or already used. */
  reserve(address: string): boolean {
    const slot = this.pool.slotOf(address);
    return slot !== null && this.bitmap.set(slot);
  }

  release(address: string): boolean {
    const slot = this.pool.slotOf(address);
    return slot !== null && this.bitmap.clear(slot);
  }

  isUsed(address: string): boolean {
    const slot = this.pool.slotOf(address);
    return slot !== null && this.bitmap.has(slot);
  }
}
