import { WorkLane } from './work-lane';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(WorkLane.name, () => {
  it('runs at most `concurrency` jobs at once, in arrival order', async () => {
    const lane = new WorkLane('t', 2, 10);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => lane.run(async () => {
      active += 1;
      peak = Math.max(peak, active);
      order.push(i);
      await tick(5);
      active -= 1;
    })));
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lane.size).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses with TOO_MANY_ATTEMPTS once maxWaiting jobs wait, and frees the slot after a failing job', async () => {
    const lane = new WorkLane('t', 1, 1);
    const first = lane.run(() => tick(20));
    const second = lane.run(() => Promise.reject(new Error('boom')));
    await expect(lane.run(() => tick(1))).rejects.toEqual(expect.objectContaining({ code: 'TOO_MANY_ATTEMPTS' }));
    await first;
    await expect(second).rejects.toThrow('boom');
    expect(await lane.run(() => Promise.resolve(42))).toBe(42);
  });
});
