// TLS: an HTTPS AWX stand-in whose certificate is signed by a CA made here with openssl. The action
// verifies certificates by default, trusts the CA given in `ca-cert`, and only skips verification
// when told to, with a warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { runBundle, tempDir } from '../kit/runner';
import { createTestCertificates, openssl } from '../kit/tls';
import { AwxStandIn } from '../standins/awx/server';

jest.setTimeout(60_000);

describe('trigger-awx-job over HTTPS with a private CA', () => {
  let dir = '';
  const awx = new AwxStandIn({ tokens: ['tls-token'] });
  let caPem = '';

  beforeAll(async () => {
    const certificates = await createTestCertificates();
    dir = certificates.dir;
    caPem = certificates.caPem;
    awx.jobTemplate({ name: 'Deploy', organization: 'Default', script: { runSeconds: 0.3 } });
    await awx.start({ tls: { key: certificates.key, cert: certificates.cert } });
  });
  afterAll(() => awx.stop());
  beforeEach(() => awx.reset());

  const run = (inputs: Record<string, string>) =>
    runBundle({
      action: 'actions/trigger-awx-job',
      inputs: { 'controller-url': awx.url, token: 'tls-token', 'job-template': 'Deploy', ...inputs },
    });

  test('an unknown CA fails at once with advice, before any request reaches the server', async () => {
    const result = await run({});
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /TLS certificate did not verify \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\).*'ca-cert'/,
    );
    expect(result.durationMs).toBeLessThan(5000);
    expect(awx.journal).toHaveLength(0);
  });

  test('ca-cert as PEM text is trusted', async () => {
    const result = await run({ 'ca-cert': caPem });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('successful');
    expect(result.warnings).toEqual([]);
  });

  test('ca-cert as a file path is trusted', async () => {
    const result = await run({ 'ca-cert': join(dir, 'ca.pem') });
    expect(result.outputs.status).toBe('successful');
  });

  test('a different CA in ca-cert still fails', async () => {
    const other = tempDir('conveyor-awx-other-ca-');
    await openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k', '-out', 'other.pem', '-days', '1', '-subj', '/CN=Other'],
      other,
    );
    const result = await run({ 'ca-cert': readFileSync(join(other, 'other.pem'), 'utf8') });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/did not verify .*Check that 'ca-cert' holds the CA/);
  });

  test('insecure-skip-tls-verify connects, with a warning', async () => {
    const result = await run({ 'insecure-skip-tls-verify': 'true' });
    expect(result.outputs.status).toBe('successful');
    expect(result.warnings.join('\n')).toMatch(/TLS certificate verification is off/);
  });
});
