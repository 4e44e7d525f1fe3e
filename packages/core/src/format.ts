/**
 * Text for people: durations, counts, sizes, rates and commit ids as every log line and summary
 * shows them, one format for all five actions.
 */

/** `1h2m3s`, `4m`, `0s`: the same form the duration inputs accept, so a value can be copied back. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}

/** The first `length` characters of a commit sha (7, as git and GitHub show it). */
export function shortSha(sha: string, length = 7): string {
  return sha.slice(0, length);
}

/**
 * `1,234,567`: digits grouped by three with commas, as `toLocaleString('en-US')` writes an integer,
 * without it: the first use of ICU's number formatting costs a step ~7 MiB of memory.
 */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `12.6` for 12,580,000 bytes: megabytes (10^6, as twine and docker print them) to one decimal. */
export function formatMegabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** `12.6 MB/s`, or `350 kB/s` below one megabyte a second. */
export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6 ? `${formatMegabytes(bytesPerSecond)} MB/s` : `${Math.round(bytesPerSecond / 1e3)} kB/s`;
}

/** `12.6 MB/s, about 1m4s left`: the rate over `elapsedMs` so far, and how long the rest takes at it. */
export function formatPace(doneBytes: number, totalBytes: number, elapsedMs: number): string {
  const perMs = doneBytes / elapsedMs;
  return `${formatRate(perMs * 1000)}, about ${formatDuration((totalBytes - doneBytes) / perMs)} left`;
}
