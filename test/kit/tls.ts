/**
 * Test certificates made with openssl: a private CA and a server certificate it signed for
 * 127.0.0.1 and localhost. A client that does not trust the CA fails to verify the server.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execCapture } from '@conveyor/core';
import { tempDir } from './runner';

export interface TestCertificates {
  dir: string;
  /** The CA certificate (PEM), also at `<dir>/ca.pem`. */
  caPem: string;
  /** The server's key and certificate (PEM), for `StandIn.start({ tls })`. */
  key: string;
  cert: string;
}

/** Runs openssl in `cwd`; throws with its stderr on failure. */
export async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await execCapture('openssl', args, { cwd });
  if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = tempDir('conveyor-tls-');
  const days = ['-days', '2'];
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', ...days, '-subj', '/CN=Conveyor Test CA'],
    dir,
  );
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=stand-in.test'], dir);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      ...days,
      '-extfile',
      'san.cnf',
    ],
    dir,
  );
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return { dir, caPem: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}
