/**
 * Core metadata (METADATA in a wheel, PKG-INFO in an sdist): RFC 822-style headers, then the long
 * description as the body (metadata 2.1+). Reading stops at the one file needed; nothing is unpacked.
 * The zip reader (yauzl) and the tar parser load only when a file of their kind is read.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ReadEntry } from 'tar';
import { ConfigurationError } from '@conveyor/core';
import type { Entry } from 'yauzl';

export interface CoreMetadata {
  /** Headers in file order; multiple-use fields (Classifier, Requires-Dist) appear once per value. */
  headers: Array<[string, string]>;
  /** The message body (the description in metadata 2.1+), if any. */
  body: string;
}

/** Parses the header block and body of a METADATA / PKG-INFO file. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const headers: Array<[string, string]> = [];
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === '') break;
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      // A folded line continues the previous header (old-style multi-line Description uses "        |").
      last[1] += `\n${line.replace(/^ {1,8}\|?/, '').replace(/^\t/, '')}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`line ${index + 1} is not a 'Name: value' header: ${JSON.stringify(line.slice(0, 80))}`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers, body: lines.slice(index + 1).join('\n') };
}

/** The first value of header `name` (case-insensitive). */
export function header(metadata: CoreMetadata, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return metadata.headers.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** Reads `<name>-<version>.dist-info/METADATA` from a wheel (the only top-level .dist-info directory). */
export async function readWheelMetadata(path: string): Promise<string> {
  const { default: yauzl } = await import('yauzl');
  const zip = await yauzl.openPromise(path, { autoClose: false });
  try {
    const found: Entry[] = [];
    for await (const entry of zip.eachEntry()) if (/^[^/]+\.dist-info\/METADATA$/.test(entry.fileName)) found.push(entry);
    const [metadata, ...others] = found;
    if (!metadata) throw new Error('has no .dist-info/METADATA file');
    if (others.length > 0) throw new Error(`holds more than one .dist-info/METADATA (${found.map((entry) => entry.fileName).join(', ')})`);
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(metadata)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    zip.close();
  }
}

/** Reads `<top>/PKG-INFO` from a .tar.gz sdist (exactly one top-level directory, as the index requires). */
export async function readSdistMetadata(path: string): Promise<string> {
  const { Parser } = await import('tar/parse');
  const topLevel = new Set<string>();
  let pkgInfo: Promise<string> | undefined;
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const parts = entry.path.replace(/^\.\//, '').split('/');
      if (parts[0]) topLevel.add(parts[0]);
      if (parts.length === 2 && parts[1] === 'PKG-INFO' && entry.type === 'File') {
        pkgInfo = (async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of entry) chunks.push(chunk);
          return Buffer.concat(chunks).toString('utf8');
        })();
      } else {
        entry.resume();
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    const file = createReadStream(path);
    file.on('error', reject);
    parser.on('error', reject);
    parser.on('end', resolve);
    parser.on('close', resolve);
    file.pipe(parser);
  });
  if (topLevel.size !== 1) throw new Error(`should hold exactly one top-level directory, not ${topLevel.size}`);
  if (!pkgInfo) throw new Error(`has no ${[...topLevel][0]}/PKG-INFO file`);
  return pkgInfo;
}

/** The metadata of a wheel or .tar.gz sdist; an unreadable file is a ConfigurationError naming it. */
export async function readDistributionMetadata(path: string): Promise<CoreMetadata> {
  const name = basename(path);
  try {
    const text = name.endsWith('.whl') ? await readWheelMetadata(path) : await readSdistMetadata(path);
    return parseCoreMetadata(text);
  } catch (error) {
    throw new ConfigurationError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
