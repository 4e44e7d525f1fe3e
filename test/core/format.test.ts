import { formatCount, formatDuration, formatMegabytes, formatPace, formatRate, shortSha } from '@conveyor/core';

describe('format', () => {
  test('durations read like the duration inputs', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(499)).toBe('0s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(60_000)).toBe('1m');
    expect(formatDuration(185_000)).toBe('3m5s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(5_403_000)).toBe('1h30m3s');
    expect(formatDuration(-5000)).toBe('0s');
  });

  test('short commit ids are 7 characters unless asked', () => {
    expect(shortSha('0123456789abcdef0123456789abcdef01234567')).toBe('0123456');
    expect(shortSha('0123456789abcdef', 12)).toBe('0123456789ab');
  });
});

describe('formatCount', () => {
  test.each([0, 7, 999, 1000, 65536, 1234567, 209715200, 12345678901])('%d as en-US writes it', (count) => {
    expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
  });
});

describe('sizes and rates', () => {
  test('megabytes to one decimal; a rate in MB/s, or kB/s below 1 MB/s', () => {
    expect(formatMegabytes(12_580_000)).toBe('12.6');
    expect(formatMegabytes(0)).toBe('0.0');
    expect(formatRate(12_580_000)).toBe('12.6 MB/s');
    expect(formatRate(1_000_000)).toBe('1.0 MB/s');
    expect(formatRate(349_600)).toBe('350 kB/s');
  });

  test('a pace: the rate so far and the time the rest takes at it', () => {
    expect(formatPace(50_000_000, 200_000_000, 10_000)).toBe('5.0 MB/s, about 30s left');
    expect(formatPace(3_000_000, 600_000_000, 60_000)).toBe('50 kB/s, about 3h19m left');
  });
});
