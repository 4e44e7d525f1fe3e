import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { parseCoreMetadata } from '../../actions/pypi-publish/src/metadata';
import { digestFile, indexMessage, multipartBody, uploadFields } from '../../actions/pypi-publish/src/upload';
import { tempDir } from '../kit/runner';

const metadata = parseCoreMetadata(
  [
    'Metadata-Version: 2.1',
    'Name: views3-demo',
    'Version: 1.2.0',
    'Summary: Démo',
    'Classifier: A :: B',
    'Classifier: C :: D',
    'Project-URL: Homepage, https://example.org',
    'Requires-Dist: numpy',
    'Description-Content-Type: text/markdown',
    '',
    '# Title ✓',
    '',
  ].join('\n'),
);
const digests = { sha256: 'a'.repeat(64), blake2_256: 'b'.repeat(64), size: 3 };

describe('upload', () => {
  test('digests: SHA-256 and BLAKE2b-256 (not truncated BLAKE2b-512) of the file', async () => {
    const path = join(tempDir('digest-'), 'abc');
    writeFileSync(path, 'abc');
    // BLAKE2b with a 32-byte digest of "abc", as Python's hashlib.blake2b(b"abc", digest_size=32) gives it.
    expect(await digestFile(path)).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      blake2_256: 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
      size: 3,
    });
  });

  test('form fields: protocol, metadata (repeats kept, index field names), file facts and digests', () => {
    expect(uploadFields('views3_demo-1.2.0-py3-none-any.whl', metadata, digests)).toEqual([
      [':action', 'file_upload'],
      ['protocol_version', '1'],
      ['metadata_version', '2.1'],
      ['name', 'views3-demo'],
      ['version', '1.2.0'],
      ['summary', 'Démo'],
      ['classifiers', 'A :: B'],
      ['classifiers', 'C :: D'],
      ['project_urls', 'Homepage, https://example.org'],
      ['requires_dist', 'numpy'],
      ['description_content_type', 'text/markdown'],
      ['description', '# Title ✓\n'],
      ['filetype', 'bdist_wheel'],
      ['pyversion', 'py3'],
      ['sha256_digest', 'a'.repeat(64)],
      ['blake2_256_digest', 'b'.repeat(64)],
    ]);
    expect(uploadFields('views3_demo-1.2.0.tar.gz', metadata, digests).slice(-4, -2)).toEqual([
      ['filetype', 'sdist'],
      ['pyversion', 'source'],
    ]);
  });

  test('the multipart body has the announced length and is read back by an independent parser (busboy)', async () => {
    const path = join(tempDir('multipart-'), 'views3_demo-1.2.0-py3-none-any.whl');
    const content = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    writeFileSync(path, content);
    const fields = uploadFields('views3_demo-1.2.0-py3-none-any.whl', metadata, { ...digests, size: content.length });
    const body = multipartBody(fields, { path, fileName: 'views3_demo-1.2.0-py3-none-any.whl', size: content.length });
    const chunks: Buffer[] = [];
    for await (const chunk of body.stream()) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks);
    expect(raw.length).toBe(body.contentLength);

    const parsed: Array<[string, string]> = [];
    let file: { name: string; fileName?: string; sha256: string } | undefined;
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: { 'content-type': body.contentType } });
      parser.on('field', (name, value) => parsed.push([name, value]));
      parser.on('file', (name, stream, info) => {
        const hash = createHash('sha256');
        stream.on('data', (chunk: Buffer) => hash.update(chunk));
        stream.on('end', () => (file = { name, fileName: info.filename, sha256: hash.digest('hex') }));
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      Readable.from([raw]).pipe(parser);
    });
    expect(parsed).toEqual(fields);
    expect(file).toEqual({
      name: 'content',
      fileName: 'views3_demo-1.2.0-py3-none-any.whl',
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    // A second stream (a retry) is a fresh read of the same bytes.
    let again = 0;
    for await (const chunk of body.stream()) again += chunk.length;
    expect(again).toBe(body.contentLength);
  });

  test("the index's message is its status line, from a JSON, HTML or plain-text error page", () => {
    const message =
      "File already exists ('a-1.0.tar.gz', with blake2_256 hash 'ab'). See https://pypi.org/help/#file-name-reuse for more information.";
    const explanation = 'The server could not comply with the request since it is either malformed or otherwise incorrect.';
    const json = JSON.stringify({ message: `${explanation}\n\n\n${message}\n\n`, code: `400 ${message}`, title: 'Bad Request' });
    expect(indexMessage(json)).toBe(message);
    expect(indexMessage(`400 ${message}\n\n${explanation}\n\n\n${message}\n\n`)).toBe(message);
    expect(
      indexMessage(
        `<html>\n <head>\n  <title>403 Invalid API Token: expired</title>\n </head>\n <body>\n  <h1>403 Invalid API Token: expired</h1>\n  Access was denied to this resource.<br/><br/>\n</body></html>`,
      ),
    ).toBe('Invalid API Token: expired');
    expect(indexMessage('{"message": "Conflict: a-1.0.tar.gz"}')).toBe('Conflict: a-1.0.tar.gz');
    expect(indexMessage('Conflict')).toBe('Conflict');
    expect(indexMessage('x'.repeat(500))).toHaveLength(401);
  });
});
