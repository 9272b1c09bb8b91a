import { delayAfter } from './login-throttle';

describe('login slow-down delay', () => {
  it('is zero for the free failures, then doubles from the base up to the cap', () => {
    expect([1, 5, 6, 7, 8, 9, 12, 40].map((n) => delayAfter(n, 5, 500, 5_000))).toEqual([0, 0, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('never overflows for huge failure counts', () => {
    expect(delayAfter(1_000_000, 0, 500, 5_000)).toBe(5_000);
  });
});
