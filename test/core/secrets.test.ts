import { jest } from '@jest/globals';
import { derivedForms, maskSecret } from '@conveyor/core';

/** What `fn` writes to stdout, one entry per write (the runner reads one command per line). */
function capturedWrites(fn: () => void): string[] {
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
  return writes;
}

/** The values registered with `::add-mask::`, decoded as the runner decodes command data. */
function capturedMasks(fn: () => void): string[] {
  return capturedWrites(fn)
    .filter((write) => write.startsWith('::add-mask::'))
    .map((write) =>
      write
        .slice('::add-mask::'.length)
        .replace(/\r?\n$/, '')
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%'),
    );
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
    const writes = capturedWrites(() => maskSecret(key));
    // The runner reads one command per line: a raw newline inside a command would end it early and
    // print the rest of the secret. The log is masked line by line, so each line needs its own mask.
    for (const write of writes) expect(write).toMatch(/^::add-mask::[^\r\n]+\r?\n$/);
    expect(capturedMasks(() => maskSecret(key))).toEqual(
      expect.arrayContaining(['-----BEGIN KEY-----', 'AAAABBBBCCCC', '-----END KEY-----']),
    );
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
