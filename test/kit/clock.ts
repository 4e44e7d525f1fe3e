/** A fake clock for waits that take a `now`/`sleep` pair: sleeping advances it at once and records the wait. */
export interface FakeClock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Every wait asked for, in ms. */
  sleeps: number[];
  advance: (ms: number) => number;
}

export function fakeClock(start = 0): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms) => (now += ms),
  };
}
