/**
 * Progress of long docker commands. Outside a terminal the docker CLI prints only state changes
 * (`Preparing`, `Pushed`, `Step 3/7`), so a large layer uploads in silence for minutes: while a
 * build or push runs, one line every 10 s says how far it got (layers done, tags pushed, the
 * current step; bytes, rate and time left where docker reports bytes, as buildx does) and for how
 * long. Nothing is printed for work that ends sooner. (`docker push` drops its byte counts when
 * its output is not a terminal, so the classic builder's pushes count layers, not bytes.)
 */
import { formatDuration, formatMegabytes as megabytes, formatPace, type Logger } from '@conveyor/core';

export const PROGRESS_INTERVAL_MS = 10_000;

/** Time and a repeating timer, replaceable so tests drive them. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Runs `work`, logging `describe(elapsed)` every PROGRESS_INTERVAL_MS while it runs. */
export async function withProgress<T>(
  logger: Logger,
  clock: ProgressClock,
  describe: (elapsed: string) => string,
  work: () => Promise<T>,
): Promise<T> {
  const started = clock.now();
  const stop = clock.every(PROGRESS_INTERVAL_MS, () => logger.info(describe(formatDuration(clock.now() - started))));
  try {
    return await work();
  } finally {
    stop();
  }
}

/** A layer line of `docker push` (`3f4e5d6c7b8a: Pushed`), as printed without a terminal. */
const LAYER_LINE = /^([0-9a-f]{12}): (Preparing|Waiting|Pushing|Pushed|Layer already exists|Mounted from \S+|Retrying in .*)$/;

/** The pushes of one step: their layers (per repository) and which tags are done. */
export class PushProgress {
  /** `repository layer-id` → whether it is in the registry, and how it got there. */
  private readonly layers = new Map<string, 'pending' | 'uploaded' | 'present'>();
  private readonly done = new Set<string>();

  constructor(private readonly references: readonly string[]) {}

  /** One line of the output of the push of `reference`. */
  observe(reference: string, line: string): void {
    const match = LAYER_LINE.exec(line.trim());
    if (!match) return;
    const [, id, status] = match as unknown as [string, string, string];
    const key = `${repositoryOf(reference)} ${id}`;
    if (status === 'Pushed') this.layers.set(key, 'uploaded');
    else if (status === 'Layer already exists' || status.startsWith('Mounted from')) this.layers.set(key, 'present');
    else if (!this.layers.has(key)) this.layers.set(key, 'pending');
  }

  pushed(reference: string): void {
    this.done.add(reference);
  }

  describe(elapsed: string): string {
    const states = [...this.layers.values()];
    const uploaded = states.filter((state) => state === 'uploaded').length;
    const present = states.filter((state) => state === 'present').length;
    const layers =
      states.length === 0
        ? 'preparing the layers'
        : `${uploaded + present} of ${states.length} layers in the registry (${uploaded} uploaded, ${present} already there)`;
    return `Pushing for ${elapsed}: ${this.done.size} of ${this.references.length} tags pushed, ${layers}`;
  }
}

/** Bytes per unit of the sizes buildkit prints (github.com/tonistiigi/units: `512B`, `2.10kB`, `12.58MB`, `1.05MiB`). */
const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};
const SIZE = String.raw`(\d+(?:\.\d+)?) ?(B|[kK]B|[MGT]B|[KMGT]iB)`;

/** The current step of a build: the classic builder's `Step 4/7 :`, buildx's `#9 [stage 2/3] RUN …`. */
const STEP_LINE = /^(?:Step (\d+\/\d+) :|#\d+ \[([^\]]+)\])/;
/** The first line of a buildx vertex in plain output: `#14 exporting to image`. */
const VERTEX_LINE = /^#(\d+) (.+)$/;
/** A buildx status with bytes in plain output: `#14 pushing layer sha256:3f4e… 12.58MB / 47.30MB 2.4s done`. */
const BYTES_LINE = new RegExp(String.raw`^#(\d+) (.+?) ${SIZE} / ${SIZE}(?: \d+(?:\.\d+)?s)?(?: done)?$`);
/** The vertices and statuses that send the image: not base-image pulls, not the build context. */
const SENDING = /^(?:exporting to image|pushing)/;

export class BuildProgress {
  private step: string | undefined;
  private readonly vertices = new Map<string, string>();
  /** `vertex status` → bytes sent and to send, of the statuses that send the image. */
  private readonly sending = new Map<string, { current: number; total: number }>();
  private sendingSince: number | undefined;

  /** `now`: the clock the rate is measured with. */
  constructor(private readonly now: () => number = Date.now) {}

  observe(line: string): void {
    const text = line.trim();
    const step = STEP_LINE.exec(text);
    if (step) this.step = step[1] ?? step[2];
    const bytes = BYTES_LINE.exec(text);
    if (bytes) {
      const [, vertex, id, current, currentUnit, total, totalUnit] = bytes as unknown as string[];
      if (!SENDING.test(this.vertices.get(vertex!) ?? '') && !SENDING.test(id!)) return;
      this.sendingSince ??= this.now();
      const size = (value: string | undefined, unit: string | undefined) => Number(value) * (UNITS[unit!] ?? 1);
      this.sending.set(`${vertex} ${id}`, { current: size(current, currentUnit), total: size(total, totalUnit) });
      return;
    }
    const vertex = VERTEX_LINE.exec(text);
    if (vertex && !this.vertices.has(vertex[1]!)) this.vertices.set(vertex[1]!, vertex[2]!);
  }

  describe(elapsed: string): string {
    if (this.sendingSince === undefined) return `Building for ${elapsed}${this.step ? `: step ${this.step}` : ''}`;
    let sent = 0;
    let total = 0;
    for (const status of this.sending.values()) {
      sent += status.current;
      total += status.total;
    }
    const pace = sent > 0 ? ` (${formatPace(sent, total, Math.max(this.now() - this.sendingSince, 1))})` : '';
    return `Building for ${elapsed}: ${megabytes(sent)} of ${megabytes(total)} MB sent${pace}`;
  }
}

/** `registry/name` of `registry/name:tag` (a registry's `:port` is not a tag). */
export function repositoryOf(reference: string): string {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? reference.slice(0, colon) : reference;
}
