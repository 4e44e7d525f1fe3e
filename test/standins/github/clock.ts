/**
 * Simulated time for the stand-in and the code under test together: reading it is free, sleeping
 * advances it (after letting pending I/O run), so a 10-minute run is followed in a moment. Pass
 * `now` to the stand-in and `now`/`sleep` to `poll` (or the action's trigger code).
 */
export class VirtualClock {
  constructor(public time = Date.parse('2026-11-21T12:00:00Z')) {}

  readonly now = (): number => this.time;

  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.time += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };
}
