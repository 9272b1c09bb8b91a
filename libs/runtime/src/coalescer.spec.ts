import { Coalescer } from './coalescer';

const tick = () => new Promise((r) => setImmediate(r));

describe(Coalescer.name, () => {
  it('sends a lone call at once, alone', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(async (xs) => {
      batches.push(xs);
      return xs.map((x) => x * 2);
    });
    await expect(c.call(21)).resolves.toBe(42);
    expect(batches).toEqual([[21]]);
  });

  it('gathers calls made while every slot is busy into the next batch, in order', async () => {
    const batches: number[][] = [];
    const gates: Array<() => void> = [];
    const c = new Coalescer<number, string>(async (xs) => {
      batches.push(xs);
      await new Promise<void>((r) => gates.push(r));
      return xs.map((x) => `r${x}`);
    }, { maxInFlight: 1 });
    const first = c.call(1);
    await tick();
    const rest = [2, 3, 4, 5].map((x) => c.call(x));
    await tick();
    expect(batches).toEqual([[1]]);
    gates.shift()!();
    await expect(first).resolves.toBe('r1');
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    gates.shift()!();
    await expect(Promise.all(rest)).resolves.toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('splits at maxBatch and keeps maxInFlight batches going', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const c = new Coalescer<number, number>(async (xs) => {
      inFlight++;
      most = Math.max(most, inFlight);
      sizes.push(xs.length);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return xs;
    }, { maxBatch: 3, maxInFlight: 2 });
    const out = await Promise.all(Array.from({ length: 10 }, (_, i) => c.call(i)));
    expect(out).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(most).toBe(2);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('fails every item of a batch whose send failed, and carries on with the next', async () => {
    let calls = 0;
    const c = new Coalescer<number, number>(async (xs) => {
      calls++;
      await tick();
      if (calls === 2) throw new Error('bus down');
      return xs;
    }, { maxInFlight: 1 });
    const first = c.call(0); // goes at once, alone
    const a = c.call(1); // these two wait for it, then go together
    const b = c.call(2);
    await expect(first).resolves.toBe(0);
    await expect(a).rejects.toThrow('bus down');
    await expect(b).rejects.toThrow('bus down');
    await expect(c.call(3)).resolves.toBe(3);
    expect(calls).toBe(3);
  });

  it('fails the batch when send answers the wrong number of results', async () => {
    const c = new Coalescer<number, number>(async () => [1, 2]);
    await expect(c.call(1)).rejects.toThrow('2 results for 1 items');
  });
});
