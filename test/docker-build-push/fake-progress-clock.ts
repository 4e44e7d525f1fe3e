/**
 * A progress clock for in-process tests: time moves only when the test advances it, and each timer
 * due fires once, as Node's setInterval does after a stall (no burst to catch up).
 */
import type { ProgressClock } from '../../actions/docker-build-push/src/progress';

export interface FakeProgressClock extends ProgressClock {
  advance(ms: number): void;
  /** Timers still running. */
  running(): number;
}

export function fakeProgressClock(): FakeProgressClock {
  let now = 0;
  const timers: Array<{ due: number; ms: number; tick: () => void }> = [];
  return {
    now: () => now,
    every(ms, tick) {
      const timer = { due: now + ms, ms, tick };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
    advance(ms) {
      now += ms;
      for (const timer of timers.filter((timer) => timer.due <= now)) {
        timer.due = now + timer.ms;
        timer.tick();
      }
    },
    running: () => timers.length,
  };
}
