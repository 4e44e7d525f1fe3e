// The least a Node 24 process does to upload a wheel as pypi-publish does, and nothing else: read the
// file once for its SHA-256, then one multipart POST over node:http, re-reading it in 1 MiB chunks.
// `bench pypi-publish` measures it beside the action and twine: Node's own floor for the work.
// Usage: node minimal-upload.mjs <upload-url> <token> <wheel> <name> <version>
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { basename } from 'node:path';

const [url, token, wheel, name, version] = process.argv.slice(2);
const CHUNK = 1024 * 1024;

async function* chunks(handle) {
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (let position = 0; ;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

const handle = await open(wheel);
const { size } = await handle.stat();
const hash = createHash('sha256');
for await (const chunk of chunks(handle)) hash.update(chunk);
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
for await (const chunk of chunks(handle)) await write(chunk);
upload.end(tail);
const response = await reply;
response.resume();
await handle.close();
if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
