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
const digests = { sha256: 'a'.repeat(64), size: 3 };

describe('upload', () => {
  test('digests: the SHA-256 and size of the file, read in chunks', async () => {
    const dir = tempDir('digest-');
    writeFileSync(join(dir, 'abc'), 'abc');
    expect(await digestFile(join(dir, 'abc'))).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      size: 3,
    });
    // Larger than the 1 MiB read buffer, each MiB different: a reused buffer must not mix them up.
    const content = Buffer.concat([0x11, 0x22, 0x33].map((byte) => Buffer.alloc(1024 * 1024, byte)).concat(Buffer.from('tail')));
    writeFileSync(join(dir, 'big'), content);
    expect(await digestFile(join(dir, 'big'))).toEqual({
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
    });
    writeFileSync(join(dir, 'empty'), '');
    expect(await digestFile(join(dir, 'empty'))).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
  });

  test('reads at once do not share the read buffer a finished read hands on', async () => {
    const dir = tempDir('digest-');
    const files = [0x44, 0x55, 0x66].map((byte) => {
      const content = Buffer.alloc(3 * 1024 * 1024 + 7, byte);
      writeFileSync(join(dir, `f${byte}`), content);
      return { path: join(dir, `f${byte}`), sha256: createHash('sha256').update(content).digest('hex') };
    });
    await digestFile(join(dir, 'f68')); // leaves a buffer for the next read
    const digested = await Promise.all(files.map((file) => digestFile(file.path)));
    expect(digested.map((digest) => digest.sha256)).toEqual(files.map((file) => file.sha256));
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
    ]);
    expect(uploadFields('views3_demo-1.2.0.tar.gz', metadata, digests).slice(-3, -1)).toEqual([
      ['filetype', 'sdist'],
      ['pyversion', 'source'],
    ]);
  });

  test('the multipart body has the announced length and is read back by an independent parser (busboy)', async () => {
    const path = join(tempDir('multipart-'), 'views3_demo-1.2.0-py3-none-any.whl');
    // Over three read-buffers' worth, each MiB different, so a chunk overwritten too early would show.
    const content = Buffer.concat([0x5a, 0x5b, 0x5c].map((byte) => Buffer.alloc(1024 * 1024, byte)).concat(Buffer.alloc(7, 0x5d)));
    writeFileSync(path, content);
    const fields = uploadFields('views3_demo-1.2.0-py3-none-any.whl', metadata, { ...digests, size: content.length });
    const body = multipartBody(fields, { path, fileName: 'views3_demo-1.2.0-py3-none-any.whl', size: content.length });
    // Each chunk is copied as it comes (as a transport writes it out) before the next is asked for.
    const chunks: Buffer[] = [];
    const sent: number[] = [];
    for await (const chunk of body.chunks((bytes) => sent.push(bytes))) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks);
    expect(raw.length).toBe(body.contentLength);
    expect(sent).toEqual([1, 2, 3].map((mib) => mib * 1024 * 1024).concat(content.length));

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
    for await (const chunk of body.chunks()) again += chunk.length;
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
