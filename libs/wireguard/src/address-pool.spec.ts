import fc from 'fast-check';
import { AddressPool, AddressPoolExhaustedError } from './address-pool';

const v4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);

describe(AddressPool.name, () => {
  it('gives the first host to the server', () => {
    const pool = AddressPool.parse('10.8.0.0/24');
    expect(pool.serverAddress).toBe('10.8.0.1');
    expect(pool.serverInterfaceAddress).toBe('10.8.0.1/24');
    expect(pool.clientCapacity).toBe(253);
  });

  it('hands out the second host first', () => {
    expect(AddressPool.parse('10.8.0.0/24').lowestFree([])).toBe('10.8.0.2');
  });

  it('hands out the lowest free address given the ones in use', () => {
    expect(AddressPool.parse('10.8.0.0/24').lowestFree(['10.8.0.2', '10.8.0.3/32', '10.8.0.5'])).toBe('10.8.0.4');
  });

  it('is exhausted with an error once every client address is used', () => {
    const alloc = AddressPool.parse('10.8.0.0/30').allocator();
    expect(alloc.allocate()).toBe('10.8.0.2');
    expect(() => alloc.allocate()).toThrow(AddressPoolExhaustedError);
  });

  it('rejects pools with host bits set or too small for a client', () => {
    expect(() => AddressPool.parse('10.8.0.1/24')).toThrow(/host bits/);
    expect(() => AddressPool.parse('10.8.0.0/31')).toThrow(/too small/);
  });

  it('never hands out the network, server, broadcast or a used address', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 22, max: 30 }),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 400 }),
        (prefix, second, usedOffsets, count) => {
          const size = 2 ** (32 - prefix);
          const network = toInt(`10.${second}.0.0`);
          const pool = AddressPool.parse(`${v4(network)}/${prefix}`);
          const used = new Set(usedOffsets.map((o) => v4(network + (o % size))));
          const alloc = pool.allocator(used);
          const forbidden = new Set([v4(network), v4(network + 1), v4(network + size - 1), ...used]);
          let previous = -1;
          for (let i = 0; i < count; i++) {
            let a: string;
            try {
              a = alloc.allocate();
            } catch (e) {
              expect(e).toBeInstanceOf(AddressPoolExhaustedError);
              // Exhausted only when every client address really is taken.
              for (let o = 2; o < size - 1; o++) expect(forbidden.has(v4(network + o))).toBe(true);
              return;
            }
            expect(forbidden.has(a)).toBe(false);
            expect(toInt(a)).toBeGreaterThan(previous);
            previous = toInt(a);
            forbidden.add(a);
          }
        },
      ),
    );
  });

  it('returns a released address again before higher ones', () => {
    const alloc = AddressPool.parse('10.8.0.0/24').allocator(['10.8.0.2', '10.8.0.3', '10.8.0.4']);
    expect(alloc.release('10.8.0.3')).toBe(true);
    expect(alloc.allocate()).toBe('10.8.0.3');
    expect(alloc.allocate()).toBe('10.8.0.5');
  });

  it('ignores addresses in use that are not client addresses of the pool', () => {
    const alloc = AddressPool.parse('10.8.0.0/24').allocator(['10.8.0.1', '10.8.0.0', '10.9.0.2', 'fd00::2', 'junk']);
    expect(alloc.freeCount).toBe(253);
    expect(alloc.reserve('10.8.0.255')).toBe(false);
  });

  it('allocates in a /16 with 60,000 addresses in use without a linear scan per allocation', () => {
    const pool = AddressPool.parse('10.20.0.0/16');
    const used: string[] = [];
    // Used addresses spread so the free ones are at the end and in scattered holes.
    for (let o = 2; used.length < 60_000; o++) if (o % 997 !== 0) used.push(v4(toInt('10.20.0.0') + o));
    const alloc = pool.allocator(used);
    const t0 = performance.now();
    const got: string[] = [];
    for (let i = 0; i < 5_000; i++) got.push(alloc.allocate());
    const ms = performance.now() - t0;
    expect(new Set(got).size).toBe(5_000);
    expect(got[0]).toBe('10.20.3.229'); // offset 997, the first hole
    // A scan over 60,000 used addresses per call would take seconds for 5,000 calls.
    expect(ms).toBeLessThan(250);
  });

  it('gives each lane the lowest free address of its own slice, then any free one', () => {
    const pool = AddressPool.parse('10.8.0.0/24'); // 253 client slots: lane 0 = .2–.127, lane 1 = .128–.254
    const a = pool.allocator();
    expect(a.allocate({ index: 0, count: 2 })).toBe('10.8.0.2');
    expect(a.allocate({ index: 1, count: 2 })).toBe('10.8.0.128');
    expect(a.allocate({ index: 1, count: 2 })).toBe('10.8.0.129');
    expect(a.allocate({ index: 0, count: 1 })).toBe('10.8.0.3');
    const full = pool.allocator(Array.from({ length: 127 }, (_, i) => `10.8.0.${128 + i}`));
    expect(full.allocate({ index: 1, count: 2 })).toBe('10.8.0.2'); // own slice full: the lowest free anywhere
  });

  it('finds the same address in a lane as a linear scan of that lane would', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 28 }),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (prefix, used, count, pick) => {
          const pool = AddressPool.parse(`10.0.0.0/${prefix}`);
          const size = pool.clientCapacity;
          const inUse = new Set(used.map((u) => u % size));
          // Fill a whole run so the search must cross full words and levels.
          const runStart = used.length > 0 ? used[0] % size : 0;
          for (let i = runStart; i < Math.min(size, runStart + 2048); i++) inUse.add(i);
          const index = pick % count;
          const a = pool.allocator([...inUse].map((slot) => v4(toInt('10.0.0.2') + slot)));
          const lo = Math.floor((size * index) / count);
          const hi = Math.floor((size * (index + 1)) / count);
          let expected = -1;
          for (let i = lo; i < hi && expected < 0; i++) if (!inUse.has(i)) expected = i;
          for (let i = 0; i < size && expected < 0; i++) if (!inUse.has(i)) expected = i;
          if (expected < 0) {
            expect(() => a.allocate({ index, count })).toThrow(AddressPoolExhaustedError);
          } else {
            expect(a.allocate({ index, count })).toBe(v4(toInt('10.0.0.2') + expected));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('works for IPv6 pools', () => {
    const pool = AddressPool.parse('fd00:8::/64');
    expect(pool.serverAddress).toBe('fd00:8::1');
    expect(pool.lowestFree(['fd00:8::2'])).toBe('fd00:8::3');
    expect(pool.clientCidr('fd00:8::3')).toBe('fd00:8::3/128');
  });

  it('refuses a client CIDR for the server address', () => {
    expect(() => AddressPool.parse('10.8.0.0/24').clientCidr('10.8.0.1')).toThrow(/not a client address/);
  });
});
