// What the benchmarks in scripts/bench/ share: medians, rounding, and figures printed as the JSON lines
// scripts/bench.ts collects.

/** The middle value (the upper one of an even count). */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** `value` to `digits` decimals, as a number. */
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** A printer of one benchmark's figures: `{ bench, metric, value, unit, ...extra }`, one JSON line each. */
export function figurePrinter(bench: string) {
  return (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ bench, metric, value, unit, ...extra }));
}
