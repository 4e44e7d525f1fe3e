/**
 * Test helpers for docker-build-push: a real registry (Debian's docker-registry, the reference
 * distribution implementation) with htpasswd auth on a loopback port, a fault-injecting proxy in
 * front of it, and the registry's own answers to "which digest does this tag serve?" and "which
 * repositories do you hold?".
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../kit/runner';
import { StandIn } from '../kit/standin';

export interface Registry {
  /** `127.0.0.1:<port>`, the host part of image names. */
  host: string;
  username: string;
  password: string;
  dir: string;
  stop(): Promise<void>;
}

/** A free loopback port (the registry cannot report the port it picked). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts docker-registry with htpasswd (bcrypt) auth; the password is random for each registry. */
export async function startRegistry(username = 'ci-pusher'): Promise<Registry> {
  const dir = tempDir('conveyor-registry-');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const htpasswd = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
  writeFileSync(join(dir, 'htpasswd'), htpasswd);
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: conveyor-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if ((await status(host, 'GET', '/v2/')) === 401) break;
    if (waited > 10_000) throw new Error(`docker-registry did not start on ${host}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host,
    username,
    password,
    dir,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function status(host: string, method: string, path: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  return registryRequest(host, method, path, headers).then(
    (reply) => reply.status,
    () => undefined,
  );
}

function registryRequest(
  host: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const [hostname, port] = host.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), method, path, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** The digest the registry serves for `repository:tag` (HEAD manifests, basic auth), or undefined if none. */
export async function servedDigest(registry: Registry, repository: string, tag: string): Promise<string | undefined> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const reply = await registryRequest(registry.host, 'HEAD', `/v2/${repository}/manifests/${tag}`, {
    authorization: `Basic ${auth}`,
    accept: MANIFEST_TYPES,
  });
  if (reply.status === 404) return undefined;
  if (reply.status !== 200) throw new Error(`HEAD /v2/${repository}/manifests/${tag}: ${reply.status}`);
  return reply.headers['docker-content-digest'] as string;
}

/** The tags the registry holds for `repository` ([] when the repository does not exist). */
export async function listedTags(registry: Registry, repository: string): Promise<string[]> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const response = await fetch(`http://${registry.host}/v2/${repository}/tags/list`, { headers: { authorization: `Basic ${auth}` } });
  if (response.status === 404) return [];
  const body = (await response.json()) as { tags?: string[] | null };
  return body.tags ?? [];
}

/** The repositories the registry holds (its catalog, `GET /v2/_catalog`). */
export async function catalog(registry: Registry): Promise<string[]> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const response = await fetch(`http://${registry.host}/v2/_catalog`, { headers: { authorization: `Basic ${auth}` } });
  if (response.status !== 200) throw new Error(`GET /v2/_catalog: ${response.status}`);
  const body = (await response.json()) as { repositories?: string[] | null };
  return body.repositories ?? [];
}

/**
 * Holds the matching requests (through every proxy that shares it) until `count` of them have
 * arrived, then lets them all through at once: racing runs are made to meet, not hoped to.
 */
export class Rendezvous {
  private readonly waiting: Array<() => void> = [];
  /** Whether `count` requests met (false after a timeout: the test then fails on it instead of hanging). */
  met = false;

  constructor(
    private readonly count: number,
    private readonly match: { method: string; path: RegExp },
    private readonly timeoutMs = 60_000,
  ) {}

  async pass(method: string, path: string): Promise<void> {
    if (this.met || method !== this.match.method || !this.match.path.test(path)) return;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length < this.count) {
        setTimeout(resolve, this.timeoutMs).unref();
        return;
      }
      this.met = true;
      for (const release of this.waiting) release();
    });
  }
}

/**
 * A proxy in front of `registry` on another loopback port, built on the stand-in base so its
 * journal and fault injection (`failNext`) apply to registry traffic. The Host header is passed on
 * unchanged, so the upload URLs the registry returns point back at the proxy. With a `rendezvous`,
 * its matching requests wait for the others'.
 */
export async function startRegistryProxy(registry: Registry, rendezvous?: Rendezvous): Promise<{ proxy: StandIn; host: string }> {
  const proxy = new StandIn();
  const [hostname, port] = registry.host.split(':') as [string, string];
  for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE']) {
    proxy.rawRoute(method, '/:path+', async (incoming, outgoing) => {
      await rendezvous?.pass(method, incoming.url ?? '');
      const upstream = request({ hostname, port: Number(port), method, path: incoming.url, headers: incoming.headers }, (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      });
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    });
  }
  const url = await proxy.start();
  return { proxy, host: new URL(url).host };
}
