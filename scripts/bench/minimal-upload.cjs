// The least a Node 24 process does to upload a wheel as pypi-publish does, and nothing else: read the
// file once for its SHA-256, then one multipart POST over node:http, re-reading it through the same
// 1 MiB buffer. `bench pypi-publish` measures it beside the action and twine: Node's own floor for
// the work. CommonJS on purpose: an ES module's `import … from 'node:http'` builds http's namespace,
// which evaluates its lazy WebSocket exports and so loads undici (~15 MiB more at the peak).
// Usage: node minimal-upload.cjs <upload-url> <token> <wheel> <name> <version>
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const { close, fstat, open, read } = require('node:fs');
const { request } = require('node:http');
const { basename } = require('node:path');
const { promisify } = require('node:util');

const [url, token, wheel, name, version] = process.argv.slice(2);
const CHUNK = 1024 * 1024;
const readInto = promisify(read);

async function* chunks(fd, buffer) {
  for (let position = 0; ;) {
    const { bytesRead } = await readInto(fd, buffer, 0, CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

async function main() {
  const fd = await promisify(open)(wheel, 'r');
  const { size } = await promisify(fstat)(fd);
  const buffer = Buffer.allocUnsafeSlow(CHUNK);
  const hash = createHash('sha256');
  for await (const chunk of chunks(fd, buffer)) hash.update(chunk);
  const fields = {
    ':action': 'file_upload',
    protocol_version: '1',
    name,
    version,
    filetype: 'bdist_wheel',
    pyversion: 'py3',
    metadata_version: '2.1',
    sha256_digest: hash.digest('hex'),
  };
  const boundary = randomBytes(16).toString('hex');
  const head = Buffer.from(
    Object.entries(fields)
      .map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${basename(wheel)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const upload = request(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  });
  const reply = new Promise((resolve, reject) => upload.on('response', resolve).on('error', reject));
  const write = (bytes) => new Promise((resolve, reject) => upload.write(bytes, (error) => (error ? reject(error) : resolve())));
  await write(head);
  for await (const chunk of chunks(fd, buffer)) await write(chunk);
  upload.end(tail);
  const response = await reply;
  response.resume();
  await promisify(close)(fd);
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
