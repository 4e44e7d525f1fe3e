import { jest } from '@jest/globals';
import { derivedForms, maskSecret } from '@conveyor/core';

function capturedMasks(fn: () => void): string[] {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return writes
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}

describe('secrets', () => {
  test('derived forms cover the encodings a tool may echo', () => {
    const secret = 'p@ss/wörd+"1"';
    const forms = derivedForms(secret);
    expect(forms).toEqual(
      expect.arrayContaining([
        secret,
        Buffer.from(secret).toString('base64'),
        Buffer.from(secret).toString('base64url'),
        encodeURIComponent(secret),
        'p@ss/wörd+\\"1\\"',
      ]),
    );
  });

  test('each line of a multi-line secret is masked on its own', () => {
    const key = '-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----';
    const masks = capturedMasks(() => maskSecret(key));
    expect(masks).toEqual(expect.arrayContaining(['-----BEGIN KEY-----', 'AAAABBBBCCCC', '-----END KEY-----']));
    // The runner reads one command per line, so the multi-line value itself must not be sent raw.
    expect(masks.every((mask) => !mask.includes('\n'))).toBe(true);
  });

  test('a username:password pair is masked as its base64 auth string too', () => {
    const masks = capturedMasks(() => maskSecret('hunter22', 'views3'));
    expect(masks).toContain(Buffer.from('views3:hunter22').toString('base64'));
    expect(masks).toContain('hunter22');
    expect(masks).not.toContain('views3');
  });

  test('an empty secret registers nothing', () => {
    expect(capturedMasks(() => maskSecret(''))).toEqual([]);
    expect(capturedMasks(() => maskSecret(undefined))).toEqual([]);
  });
});
