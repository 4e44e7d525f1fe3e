/**
 * Upload through the legacy upload API (`:action=file_upload`, protocol 1): a multipart form with the
 * core metadata, the file's SHA-256 (which the index verifies) and the file itself, streamed from
 * disk through one reused buffer with a known length, so memory does not grow with file size. A POST
 * is never re-sent blindly: after an ambiguous failure the release's JSON API says whether the file
 * already landed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { ConfigurationError, HttpError, type HttpClient, type HttpResponse, type Logger } from '@conveyor/core';
import type { Attestation } from './attest';
import { conflictError, type IndexedFile } from './skip-existing';
import type { CoreMetadata } from './metadata';
import { normalizeName, uploadPythonVersion } from './names';
import { UploadProgress } from './progress';
import type { IndexEndpoints } from './repository';
import { isWheel } from './verify';

export interface FileDigests {
  sha256: string;
  size: number;
}

/** Bytes read from disk at a time, hashing and uploading: few reads, and a fixed 1 MiB of memory. */
const CHUNK_BYTES = 1024 * 1024;

// The callback API, promisified: node:fs/promises would cost the step ~1 MiB more at its peak.
const openFile = promisify(open);
const readInto = promisify(read);
const closeFile = promisify(close);

/**
 * The read buffer a finished read hands to the next: hashing and then uploading a file (or the next
 * file) reuse one buffer instead of holding a second until the garbage collector frees the first.
 */
let spareBuffer: Buffer | undefined;

/**
 * The file's bytes (its first `length`, or all of it), read into one buffer that is reused: each
 * chunk is overwritten once the next is asked for, so the consumer must be done with it by then.
 */
async function* fileChunks(path: string, options: { length?: number; signal?: AbortSignal } = {}): AsyncGenerator<Buffer> {
  const fd = await openFile(path, 'r');
  const buffer = spareBuffer ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  spareBuffer = undefined;
  try {
    const length = options.length ?? Infinity;
    for (let position = 0; position < length;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await readInto(fd, buffer, 0, Math.min(CHUNK_BYTES, length - position), position);
      if (bytesRead === 0) {
        if (length === Infinity) return;
        throw new ConfigurationError(`${path} shrank while it was being uploaded`);
      }
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    spareBuffer = buffer;
    await closeFile(fd);
  }
}

/**
 * SHA-256 of a file, read once: the digest of the `hashes` output, skip-existing and attestations,
 * and the one the upload sends. BLAKE2b-256 is left out: the index verifies whichever of md5, sha256
 * and blake2_256 it is given and computes all three itself (Warehouse's forklift/legacy.py), and in
 * JavaScript it costs more than the rest of the upload (~35 MB/s pure JS, or ~10 MiB for a WASM one).
 */
export async function digestFile(path: string, signal?: AbortSignal): Promise<FileDigests> {
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of fileChunks(path, { signal })) {
    sha256.update(chunk);
    size += chunk.length;
  }
  return { sha256: sha256.digest('hex'), size };
}

// Form field names that are not the header name lower-cased with - as _ (as the index reads them).
const FIELD_NAMES: Record<string, string> = { classifier: 'classifiers', 'project-url': 'project_urls' };

/** The form fields of one upload, in order: protocol, metadata (one field per value), file facts, digests. */
export function uploadFields(
  fileName: string,
  metadata: CoreMetadata,
  digests: FileDigests,
  attestation?: Attestation,
): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    [':action', 'file_upload'],
    ['protocol_version', '1'],
  ];
  for (const [name, value] of metadata.headers) {
    const key = name.toLowerCase();
    if (key === 'description' && metadata.body.trim()) continue;
    fields.push([FIELD_NAMES[key] ?? key.replace(/-/g, '_'), value]);
  }
  if (metadata.body.trim()) fields.push(['description', metadata.body]);
  fields.push(
    ['filetype', isWheel(fileName) ? 'bdist_wheel' : 'sdist'],
    ['pyversion', uploadPythonVersion(fileName)],
    ['sha256_digest', digests.sha256],
  );
  // PEP 740: the file's attestations as a JSON array (pypa's twine sends them so).
  if (attestation) fields.push(['attestations', JSON.stringify([attestation])]);
  return fields;
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  /**
   * The whole body, a fresh read per call (one per attempt), the file read from disk as it is sent
   * through one reused buffer: send it with a transport that has written a chunk out before it asks
   * for the next (`nodeFetch`). `sent` hears how many of the file's bytes have gone.
   */
  chunks(sent?: (bytes: number) => void): AsyncIterable<Uint8Array>;
}

/** multipart/form-data with the fields, then the file as `content`. */
export function multipartBody(
  fields: Array<[string, string]>,
  file: { path: string; fileName: string; size: number },
  boundary = randomBytes(16).toString('hex'),
): MultipartBody {
  const disposition = (name: string) => `Content-Disposition: form-data; name="${name.replace(/"/g, '%22')}"`;
  const head = Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\n${disposition(name)}\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\n${disposition('content')}; filename="${file.fileName.replace(/"/g, '%22')}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
    chunks: async function* (sent) {
      yield head;
      let bytes = 0;
      for await (const chunk of fileChunks(file.path, { length: file.size })) {
        yield chunk;
        bytes += chunk.length;
        sent?.(bytes);
      }
      yield tail;
    },
  };
}

export interface IndexFile extends IndexedFile {
  fileName: string;
}

/**
 * The index's message. The legacy API puts it in the status line (`400 File already exists …`),
 * which its error page repeats: as `code` in JSON, or first in an HTML or plain-text page.
 */
export function indexMessage(body: string): string {
  let statusLine: string | undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    statusLine = typeof parsed.code === 'string' ? parsed.code : typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    // not JSON: an HTML or plain-text page
  }
  const text = (statusLine ?? /<h1>([\s\S]*?)<\/h1>/i.exec(body)?.[1] ?? body.split(/\n\s*\n/)[0] ?? body)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const message = text.replace(/^\d{3} /, '');
  return message.length > 400 ? `${message.slice(0, 400)}…` : message;
}

/** The credentials of an upload: an API token (user `__token__`), a minted one, or a user's password. */
export interface Credentials {
  username: string;
  password: string;
}

export class PackageIndex {
  constructor(
    private readonly endpoints: IndexEndpoints,
    /** Reads the public JSON API without credentials; uploads carry them per request. */
    private readonly http: HttpClient,
    private readonly logger: Logger,
  ) {}

  /** Files of a release already on the index, by file name (empty when the release does not exist). */
  async releaseFiles(name: string, version: string): Promise<Map<string, IndexFile>> {
    const url = new URL(`pypi/${encodeURIComponent(normalizeName(name))}/${encodeURIComponent(version)}/json`, this.endpoints.web);
    const response = await this.http.get<{
      urls?: Array<{ filename?: string; digests?: { sha256?: string }; upload_time_iso_8601?: string }>;
    }>(url.toString(), { accept: [404] });
    const files = new Map<string, IndexFile>();
    if (response.status === 404 || typeof response.data !== 'object') return files;
    for (const file of response.data.urls ?? []) {
      if (!file.filename || !file.digests?.sha256) continue;
      const uploadedAt = Date.parse(file.upload_time_iso_8601 ?? '');
      files.set(file.filename, {
        fileName: file.filename,
        sha256: file.digests.sha256,
        uploadedAt: Number.isNaN(uploadedAt) ? undefined : uploadedAt,
      });
    }
    return files;
  }

  /** Uploads one file; resolves once the index has it, whether from this attempt or an earlier one. */
  async upload(
    release: { name: string; version: string },
    file: { path: string; fileName: string; metadata: CoreMetadata; digests: FileDigests; attestation?: Attestation },
    credentials: Credentials,
    signal?: AbortSignal,
  ): Promise<void> {
    const body = multipartBody(uploadFields(file.fileName, file.metadata, file.digests, file.attestation), {
      ...file,
      size: file.digests.size,
    });
    const landed = async (): Promise<HttpResponse | undefined> => {
      const existing = (await this.releaseFiles(release.name, release.version)).get(file.fileName);
      if (!existing) return undefined;
      if (existing.sha256 !== file.digests.sha256) throw conflictError(file.fileName, `sha256 ${existing.sha256} on the index`);
      return { status: 200, headers: new Headers(), data: 'already uploaded', url: this.endpoints.upload };
    };
    signal?.throwIfAborted();
    try {
      await this.http.post(this.endpoints.upload, {
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
          'content-type': body.contentType,
          'content-length': String(body.contentLength),
        },
        body: () => {
          const progress = new UploadProgress(file.fileName, file.digests.size, this.logger);
          return body.chunks((bytes) => progress.sent(bytes));
        },
        // At least 256 KB/s: a big file gets the time it needs, a stalled connection still ends.
        timeoutMs: 120_000 + Math.ceil(file.digests.size / 256),
        reconcile: landed,
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === undefined || error.status >= 500) throw error;
      const message = indexMessage(error.body);
      if (/^File already exists/i.test(message) || error.status === 409) throw conflictError(file.fileName, message);
      if (error.status === 401 || error.status === 403) {
        throw new ConfigurationError(
          `The index refused the credentials (HTTP ${error.status}: ${message}). Check the password (an API token) or the trusted publisher`,
        );
      }
      throw new ConfigurationError(`${file.fileName}: the index refused the upload (HTTP ${error.status}: ${message})`);
    }
    this.logger.info(`Uploaded ${file.fileName}`);
  }
}
