/**
 * PyPI stand-in: the slice of Warehouse (pypi.org) that publishing and installing use.
 * - `POST /legacy/`: the legacy upload API (multipart, `:action=file_upload`, protocol 1), read as a
 *   stream with the file written to disk while it is hashed, then Warehouse's checks in Warehouse's
 *   order with its messages (in the status line and the error page, as the index sends them):
 *   authentication, form and metadata, digests, an identical re-upload accepted as a no-op, "File
 *   already exists" for the same name with other content, one sdist per release, PEP 625 sdist
 *   names, wheel names, versions and platform tags; last, the PEP 740 `attestations` field, verified
 *   for the trusted publisher the upload token was minted for (`attestations.ts`), and kept as the
 *   file's provenance for the Integrity API (`/integrity/<project>/<version>/<file>/provenance`).
 *   Each upload is decided atomically against what is stored when its body has arrived: of two
 *   identical uploads racing, one stores the file and the other is the no-op 200, as in Warehouse
 *   (`_is_duplicate_file` then `return HTTPOk()` in warehouse/forklift/legacy.py `file_upload`).
 * - Reads: the simple index (PEP 503 HTML and PEP 691 JSON), the files, and the JSON API
 *   (`/pypi/<name>/json`, `/pypi/<name>/<version>/json`).
 * - Trusted publishing: `/_/oidc/audience` and `/_/oidc/mint-token` checking the GitHub OIDC token's
 *   claims against one registered publisher, with Warehouse's 422 error codes.
 * twine uploads to it and pip installs from it in `clients.e2e.test.ts`, so it is checked against
 * clients nobody here wrote.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import busboy from 'busboy';
import { createBLAKE2b } from 'hash-wasm';
import { StandIn, type Reply, type StandInRequest } from '../../kit/standin';
import { AttestationRefusal, parseAttestations, provenance, type GitHubPublisher } from './attestations';
import { GITHUB_ISSUER } from './oidc-issuer';

export interface StoredFile {
  fileName: string;
  packagetype: 'sdist' | 'bdist_wheel';
  pythonVersion: string;
  size: number;
  digests: { md5: string; sha256: string; blake2b_256: string };
  requiresPython?: string;
  uploadedAt: Date;
  path: string;
  /** PEP 740's provenance object, when the upload carried attestations. */
  provenance?: Record<string, unknown>;
}

interface Project {
  name: string;
  releases: Map<string, StoredFile[]>;
}

export interface Publisher {
  repository: string;
  /** The workflow file name, e.g. `release.yml`. */
  workflow: string;
  environment?: string;
}

export interface PyPIStandInOptions {
  /** API tokens accepted for `__token__`. */
  tokens?: string[];
  audience?: string;
  /**
   * `disabled` answers the audience with 403; `absent` has no OIDC endpoints (404); `github-route`
   * has only the older provider-specific `/_/oidc/github/mint-token`.
   */
  trustedPublishing?: 'enabled' | 'disabled' | 'absent' | 'github-route';
  publisher?: Publisher;
  /** The Sigstore trust material (a TrustedRoot, JSON) attestations are verified with. */
  sigstoreTrust?: Record<string, unknown>;
}

const SUPPORTED_METADATA_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5']);
const HELP = 'https://pypi.org/help/';
const SPEC = 'https://packaging.python.org/specifications/core-metadata';
const PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';

export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A refusal as Warehouse sends it: the message in the status line and repeated in the error page. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class PyPIStandIn extends StandIn {
  readonly storage = mkdtempSync(join(tmpdir(), 'pypi-standin-'));
  readonly tokens: Set<string>;
  readonly projects = new Map<string, Project>();
  readonly usedTokenIds = new Set<string>();
  /** Tokens minted by trusted publishing. */
  readonly minted: string[] = [];
  /** The trusted publisher each minted token was issued for. */
  private readonly publisherOf = new Map<string, GitHubPublisher>();
  /** Every upload stored (a no-op identical re-upload is not counted). */
  readonly stored: StoredFile[] = [];
  /** The next N uploads are stored and then answered 503, as if the reply were lost. */
  failAfterStoring = 0;
  /** The next N uploads are stored and then the connection is cut before any reply. */
  dropAfterStoring = 0;
  /** Uploads and reads of a release's JSON that have arrived, and those reads answered. */
  readonly arrived = { upload: 0, read: 0 };
  readsAnswered = 0;
  private readonly holds: Array<{ kind: 'upload' | 'read'; nth: number; ready: () => boolean; release?: () => void }> = [];
  readonly audience: string;
  publisher?: Publisher;
  sigstoreTrust?: Record<string, unknown>;

  constructor(options: PyPIStandInOptions = {}) {
    super();
    this.sigstoreTrust = options.sigstoreTrust;
    this.tokens = new Set(options.tokens ?? []);
    this.audience = options.audience ?? 'pypi';
    this.publisher = options.publisher;
    this.rawRoute('POST', '/legacy', (request, response) => this.upload(request, response));
    this.route('GET', '/simple', (request) => this.simpleIndex(request));
    this.route('GET', '/simple/:project', (request) => this.simpleProject(request));
    this.rawRoute('GET', '/files/:file', (_request, response, params) => this.download(response, params.file as string));
    this.route('GET', '/pypi/:project/json', (request) => this.jsonApi(request.params.project as string));
    this.route('GET', '/pypi/:project/:version/json', async (request) => {
      await this.held('read', ++this.arrived.read);
      const reply = this.jsonApi(request.params.project as string, request.params.version);
      this.readsAnswered++;
      this.releaseHolds();
      return reply;
    });
    // The Integrity API (PEP 740 provenance, `warehouse/api/integrity.py`).
    this.route('GET', '/integrity/:project/:version/:file/provenance', (request) => {
      const file = this.files(request.params.project as string, request.params.version as string).find(
        (stored) => stored.fileName === request.params.file,
      );
      if (!file) return { status: 404, json: { message: 'Not Found' } };
      return file.provenance
        ? { status: 200, headers: { 'content-type': 'application/vnd.pypi.integrity.v1+json' }, json: file.provenance }
        : { status: 404, json: { message: `No provenance available for ${file.fileName}` } };
    });
    if (options.trustedPublishing !== 'absent') {
      const enabled = options.trustedPublishing !== 'disabled';
      this.route('GET', '/_/oidc/audience', () =>
        enabled
          ? { status: 200, json: { audience: this.audience } }
          : { status: 403, json: { message: 'Trusted publishing functionality not enabled' } },
      );
      if (options.trustedPublishing !== 'github-route') this.route('POST', '/_/oidc/mint-token', (request) => this.mintToken(request));
      this.route('POST', '/_/oidc/github/mint-token', (request) => this.mintToken(request));
    }
  }

  /**
   * Forces an interleaving of racing runs: the `nth` upload (once its body is in, before it is decided)
   * or the `nth` read of a release's JSON waits until `ready()` holds, checked whenever a request
   * arrives, a read is answered or a file is stored.
   */
  hold(kind: 'upload' | 'read', nth: number, ready: () => boolean): void {
    this.holds.push({ kind, nth, ready });
  }

  private async held(kind: 'upload' | 'read', nth: number): Promise<void> {
    this.releaseHolds();
    const hold = this.holds.find((candidate) => candidate.kind === kind && candidate.nth === nth);
    if (!hold) return;
    if (hold.ready()) return void this.holds.splice(this.holds.indexOf(hold), 1);
    await new Promise<void>((resolve) => (hold.release = resolve));
  }

  private releaseHolds(): void {
    for (const hold of this.holds.filter((candidate) => candidate.release && candidate.ready())) {
      this.holds.splice(this.holds.indexOf(hold), 1);
      hold.release?.();
    }
  }

  /** Every stored file of a release (by the version string uploaded). */
  files(name: string, version: string): StoredFile[] {
    return this.projects.get(canonicalName(name))?.releases.get(version) ?? [];
  }

  override async stop(): Promise<void> {
    await super.stop();
    rmSync(this.storage, { recursive: true, force: true });
  }

  private async upload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refuse = (refusal: Refusal) => {
      const page = errorPage(refusal, request.headers.accept);
      response.writeHead(refusal.status, refusal.message, { 'content-type': page.contentType });
      response.end(page.body);
    };
    // Warehouse checks the identity before it reads the form; the body is drained so the client sees the reply.
    const credential = this.credential(request.headers.authorization);
    if (!credential) {
      request.resume();
      await finished(request).catch(() => undefined);
      return refuse(new Refusal(403, `Invalid or non-existent authentication information. See ${HELP}#invalid-auth for more information.`));
    }
    const nth = ++this.arrived.upload;
    this.releaseHolds();
    let received: Received | undefined;
    try {
      received = await receiveForm(request, this.storage);
      await this.held('upload', nth);
      const file = this.accept(received, this.publisherOf.get(credential));
      if (file && this.dropAfterStoring > 0) {
        this.dropAfterStoring--;
        return void request.socket.destroy();
      }
      if (file && this.failAfterStoring > 0) {
        this.failAfterStoring--;
        response.writeHead(503, 'Service Unavailable', { 'content-type': 'text/plain' });
        return void response.end('503 Service Unavailable\n');
      }
      response.writeHead(200, 'OK', { 'content-type': 'text/plain' });
      response.end('');
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refuse(error);
    } finally {
      if (received?.tempPath) rmSync(received.tempPath, { force: true });
    }
  }

  /** The token of a valid `__token__` Basic credential. */
  private credential(header: string | undefined): string | undefined {
    const match = /^Basic (.+)$/i.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const token = decoded.slice(colon + 1).trim();
    return decoded.slice(0, colon) === '__token__' && this.tokens.has(token) ? token : undefined;
  }

  /** Warehouse's checks, in its order. Returns the stored file, or undefined for an identical re-upload. */
  private accept(form: Received, publisher: GitHubPublisher | undefined): StoredFile | undefined {
    const one = (name: string) => form.fields.find(([key]) => key === name)?.[1];
    if ((one('protocol_version') ?? '1') !== '1') throw new Refusal(400, 'Unknown protocol version.');
    const name = one('name') ?? '';
    if (!PROJECT_NAME.test(name)) {
      throw new Refusal(
        400,
        `'${name}' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'. See ${SPEC} for more information.`,
      );
    }
    const filetype = one('filetype');
    if (filetype !== 'sdist' && filetype !== 'bdist_wheel')
      throw new Refusal(400, 'Invalid value for filetype. Error: Use a known file type.');
    const pyversion = one('pyversion') || (filetype === 'sdist' ? 'source' : '');
    if (!pyversion)
      throw new Refusal(400, 'Invalid value for pyversion. Error: Python version is required for binary distribution uploads.');
    if (filetype === 'sdist' && pyversion !== 'source')
      throw new Refusal(400, "Invalid value for pyversion. Error: Use 'source' as Python version for an sdist.");
    if (!one('md5_digest') && !one('sha256_digest') && !one('blake2_256_digest'))
      throw new Refusal(400, 'Error: Include at least one message digest.');
    const metadataVersion = one('metadata_version') ?? '';
    if (!SUPPORTED_METADATA_VERSIONS.has(metadataVersion))
      throw new Refusal(400, `'${metadataVersion}' is not a valid metadata version. See ${SPEC} for more information.`);
    const version = one('version') ?? '';
    if (!/^v?\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-z0-9.]+)?$/i.test(version)) {
      throw new Refusal(400, `'${version}' is invalid for 'version'. See ${SPEC} for more information.`);
    }
    if (version.includes('+')) {
      throw new Refusal(
        400,
        `The use of local versions in '${version}' is not allowed. See https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers for more information.`,
      );
    }
    if (!form.file || !form.tempPath) throw new Refusal(400, 'Upload payload does not have a file.');
    const { fileName, digests, size } = form.file;
    if (fileName.includes('/') || fileName.includes('\\')) throw new Refusal(400, "Cannot upload a file with '/' or '\\' in the name.");
    if (!fileName.endsWith('.tar.gz') && !fileName.endsWith('.whl')) {
      throw new Refusal(
        400,
        'Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information',
      );
    }
    const supplied: Array<[string | undefined, string]> = [
      [one('md5_digest'), digests.md5],
      [one('sha256_digest'), digests.sha256],
      [one('blake2_256_digest'), digests.blake2b_256],
    ];
    if (supplied.some(([given, actual]) => given && given.toLowerCase() !== actual)) {
      throw new Refusal(400, 'The digest supplied does not match a digest calculated from the uploaded file.');
    }

    const all = [...this.projects.values()].flatMap((project) => [...project.releases.values()].flat());
    const existing = all.find((file) => file.fileName === fileName || file.digests.blake2b_256 === digests.blake2b_256);
    if (existing) {
      if (
        existing.fileName === fileName &&
        existing.digests.sha256 === digests.sha256 &&
        existing.digests.blake2b_256 === digests.blake2b_256
      )
        return undefined;
      throw new Refusal(
        400,
        `File already exists ('${fileName}', with blake2_256 hash '${digests.blake2b_256}'). See ${HELP}#file-name-reuse for more information.`,
      );
    }
    const key = canonicalName(name);
    const project = this.projects.get(key) ?? { name, releases: new Map<string, StoredFile[]>() };
    const release = project.releases.get(version) ?? [];
    if (filetype === 'sdist' && release.some((file) => file.packagetype === 'sdist'))
      throw new Refusal(400, 'Only one sdist may be uploaded per release.');
    const magic = form.file.magic;
    if (filetype === 'sdist' && !(magic[0] === 0x1f && magic[1] === 0x8b))
      throw new Refusal(400, 'Invalid distribution file. File is not a tarfile');
    if (filetype === 'bdist_wheel' && magic.toString('latin1', 0, 4) !== 'PK\x03\x04')
      throw new Refusal(400, 'Invalid distribution file. File is not a zipfile');

    const underscored = key.replace(/-/g, '_');
    if (filetype === 'sdist') {
      const expected = `${underscored}-${version}.tar.gz`;
      if (fileName !== expected) throw new Refusal(400, `Filename '${fileName}' is invalid, should be '${expected}'.`);
    } else {
      const parts = fileName.slice(0, -'.whl'.length).split('-');
      if (parts.length !== 5 && parts.length !== 6)
        throw new Refusal(400, `Invalid wheel filename (wrong number of parts): '${fileName.slice(0, -4)}'`);
      for (const platform of (parts[parts.length - 1] as string).split('.')) {
        if (platform.startsWith('linux_'))
          throw new Refusal(400, `Binary wheel '${fileName}' has an unsupported platform tag '${platform}'.`);
      }
      if (parts[0] !== underscored) {
        throw new Refusal(400, `Filename '${fileName}' should contain the normalized project name '${underscored}', not '${parts[0]}'.`);
      }
      if (parts[1] !== version) throw new Refusal(400, `Version in filename should be '${version}' not '${parts[1]}'.`);
    }

    // Warehouse verifies attestations last, once the file itself is accepted (legacy.py file_upload).
    const field = one('attestations');
    let provenanceObject: Record<string, unknown> | undefined;
    if (field !== undefined) {
      try {
        const attestations = parseAttestations(field, publisher, { fileName, sha256: digests.sha256 }, this.sigstoreTrust);
        provenanceObject = provenance(publisher as GitHubPublisher, attestations);
      } catch (error) {
        if (!(error instanceof AttestationRefusal)) throw error;
        throw new Refusal(400, `Invalid attestations supplied during upload: ${error.message}`);
      }
    }

    const path = join(this.storage, fileName);
    renameSync(form.tempPath, path);
    form.tempPath = undefined;
    const stored: StoredFile = {
      fileName,
      packagetype: filetype,
      pythonVersion: pyversion,
      size,
      digests,
      requiresPython: one('requires_python'),
      uploadedAt: new Date(),
      path,
      provenance: provenanceObject,
    };
    release.push(stored);
    project.releases.set(version, release);
    this.projects.set(key, project);
    this.stored.push(stored);
    this.releaseHolds();
    return stored;
  }

  private simpleIndex(request: StandInRequest): Reply {
    const names = [...this.projects.keys()].sort();
    if (wantsJson(request)) {
      return {
        status: 200,
        headers: { 'content-type': SIMPLE_JSON },
        body: JSON.stringify({ meta: { 'api-version': '1.1' }, projects: names.map((name) => ({ name })) }),
      };
    }
    const links = names.map((name) => `    <a href="/simple/${name}/">${name}</a><br/>`).join('\n');
    return html(
      `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n    <title>Simple index</title>\n  </head>\n  <body>\n${links}\n  </body>\n</html>\n`,
    );
  }

  private simpleProject(request: StandInRequest): Reply {
    const requested = request.params.project as string;
    const key = canonicalName(requested);
    if (requested !== key) return { status: 301, headers: { location: `/simple/${key}/` } };
    const project = this.projects.get(key);
    if (!project) return { status: 404, json: { message: 'Not Found' } };
    const files = [...project.releases.values()].flat();
    if (wantsJson(request)) {
      const body = {
        meta: { 'api-version': '1.1' },
        name: key,
        versions: [...project.releases.keys()],
        files: files.map((file) => ({
          filename: file.fileName,
          url: `/files/${file.fileName}`,
          hashes: { sha256: file.digests.sha256 },
          'requires-python': file.requiresPython ?? null,
          size: file.size,
          'upload-time': file.uploadedAt.toISOString(),
          yanked: false,
        })),
      };
      return { status: 200, headers: { 'content-type': SIMPLE_JSON }, body: JSON.stringify(body) };
    }
    const links = files
      .map((file) => {
        const requires = file.requiresPython ? ` data-requires-python="${escapeHtml(file.requiresPython)}"` : '';
        return `    <a href="/files/${file.fileName}#sha256=${file.digests.sha256}"${requires}>${file.fileName}</a><br />`;
      })
      .join('\n');
    return html(
      `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n    <title>Links for ${key}</title>\n  </head>\n  <body>\n    <h1>Links for ${key}</h1>\n${links}\n  </body>\n</html>\n`,
    );
  }

  private async download(response: ServerResponse, fileName: string): Promise<void> {
    const file = [...this.projects.values()]
      .flatMap((project) => [...project.releases.values()].flat())
      .find((stored) => stored.fileName === fileName);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      return void response.end('404 Not Found\n');
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.size) });
    createReadStream(file.path).pipe(response);
    await finished(response).catch(() => undefined);
  }

  private jsonApi(projectName: string, version?: string): Reply {
    const project = this.projects.get(canonicalName(projectName));
    const releaseVersion = version ?? [...(project?.releases.keys() ?? [])].pop();
    const files = releaseVersion ? project?.releases.get(releaseVersion) : undefined;
    if (!project || !releaseVersion || !files) return { status: 404, json: { message: 'Not Found' } };
    const urls = files.map((file) => ({
      filename: file.fileName,
      packagetype: file.packagetype,
      python_version: file.pythonVersion,
      digests: { md5: file.digests.md5, sha256: file.digests.sha256, blake2b_256: file.digests.blake2b_256 },
      md5_digest: file.digests.md5,
      size: file.size,
      upload_time_iso_8601: file.uploadedAt.toISOString(),
      url: `${this.url}/files/${file.fileName}`,
      requires_python: file.requiresPython ?? null,
      yanked: false,
    }));
    return {
      status: 200,
      json: {
        info: {
          name: project.name,
          version: releaseVersion,
          requires_python: files[0]?.requiresPython ?? null,
          release_url: `${this.url}/project/${canonicalName(project.name)}/${releaseVersion}/`,
        },
        releases: version ? undefined : Object.fromEntries([...project.releases].map(([v]) => [v, []])),
        urls,
      },
    };
  }

  private mintToken(request: StandInRequest): Reply {
    const invalid = (code: string, description: string): Reply => ({
      status: 422,
      json: { message: 'Token request failed', errors: [{ code, description }] },
    });
    let token: unknown;
    try {
      token = request.json<{ token?: unknown }>().token;
    } catch {
      return invalid('invalid-payload', 'Invalid JSON');
    }
    if (typeof token !== 'string')
      return invalid(
        'invalid-payload',
        '1 validation error for TokenPayload\ntoken\n  Field required [type=missing, input_value={}, input_type=dict]',
      );
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return invalid('invalid-payload', 'malformed JWT');
    }
    if (claims.iss !== GITHUB_ISSUER) return invalid('invalid-payload', 'unknown trusted publishing issuer');
    if (claims.aud !== this.audience || typeof claims.jti !== 'string') return invalid('invalid-token', 'malformed or invalid token');
    if (this.usedTokenIds.has(claims.jti)) return invalid('invalid-reuse-token', 'invalid token: already used');
    const publisher = this.publisher;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const refs = [text(claims.ref), text(claims.sha)].filter((ref) => ref);
    const matches =
      publisher &&
      text(claims.repository).toLowerCase() === publisher.repository.toLowerCase() &&
      refs.some((ref) => claims.job_workflow_ref === `${publisher.repository}/.github/workflows/${publisher.workflow}@${ref}`) &&
      (!publisher.environment || text(claims.environment).toLowerCase() === publisher.environment.toLowerCase());
    if (!matches)
      return invalid('invalid-publisher', 'valid token, but no corresponding publisher (Publisher with matching claims was not found)');
    this.usedTokenIds.add(claims.jti);
    const minted = `pypi-${randomBytes(24).toString('base64url')}`;
    this.tokens.add(minted);
    this.minted.push(minted);
    this.publisherOf.set(minted, {
      kind: 'GitHub',
      repository: publisher.repository,
      workflow: publisher.workflow,
      environment: publisher.environment ?? null,
    });
    return { status: 200, json: { success: true, token: minted, expires: Math.floor(Date.now() / 1000) + 900 } };
  }
}

interface Received {
  fields: Array<[string, string]>;
  file?: { fileName: string; size: number; digests: StoredFile['digests']; magic: Buffer };
  tempPath?: string;
}

/** Reads the multipart form: fields in memory, the `content` file streamed to disk and hashed on the way. */
async function receiveForm(request: IncomingMessage, storage: string): Promise<Received> {
  const received: Received = { fields: [] };
  // BLAKE2b in WASM (~500 MB/s, as fast as Warehouse's hashlib): a pure-JS one (~35 MB/s) made this
  // stand-in the bottleneck of every large upload, since hashing as the body arrives throttles the sender.
  const blake = await createBLAKE2b(256);
  const parser = busboy({ headers: request.headers, limits: { fieldSize: 10 * 1024 * 1024 } });
  const writes: Array<Promise<void>> = [];
  parser.on('field', (name, value) => received.fields.push([name, value]));
  parser.on('file', (name, stream, info) => {
    if (name !== 'content' || received.file) return void stream.resume();
    const tempPath = join(storage, `.upload-${randomBytes(8).toString('hex')}`);
    received.tempPath = tempPath;
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    let magic = Buffer.alloc(0);
    const out = createWriteStream(tempPath);
    stream.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      sha256.update(chunk);
      blake.update(chunk);
      if (magic.length < 4) magic = Buffer.concat([magic, chunk.subarray(0, 4)]);
      size += chunk.length;
    });
    stream.pipe(out);
    writes.push(
      finished(out).then(() => {
        received.file = {
          fileName: info.filename ?? '',
          size,
          magic,
          digests: { md5: md5.digest('hex'), sha256: sha256.digest('hex'), blake2b_256: blake.digest('hex') },
        };
      }),
    );
  });
  request.pipe(parser);
  await finished(parser);
  await Promise.all(writes);
  return received;
}

/**
 * Pyramid's error page for Warehouse's `_exc_with_message`: the status line is `<code> <message>`,
 * the body the explanation then the message, as HTML, JSON or plain text by the Accept header.
 */
function errorPage(refusal: Refusal, accept = ''): { contentType: string; body: string } {
  const explanation =
    refusal.status === 403
      ? 'Access was denied to this resource.'
      : 'The server could not comply with the request since it is either malformed or otherwise incorrect.';
  const status = `${refusal.status} ${refusal.message}`;
  const kind =
    !accept || accept.includes('text/html')
      ? 'html'
      : accept.includes('application/json')
        ? 'json'
        : accept.includes('*/*')
          ? 'html'
          : 'plain';
  if (kind === 'json') {
    const body = `${explanation}\n\n\n${refusal.message}\n\n`;
    return {
      contentType: 'application/json',
      body: JSON.stringify({ message: body, code: status, title: refusal.status === 403 ? 'Forbidden' : 'Bad Request' }),
    };
  }
  if (kind === 'html') {
    const body = `${escapeHtml(explanation)}<br/><br/>\n${escapeHtml(refusal.message)}\n\n`;
    return {
      contentType: 'text/html; charset=UTF-8',
      body: `<html>\n <head>\n  <title>${escapeHtml(status)}</title>\n </head>\n <body>\n  <h1>${escapeHtml(status)}</h1>\n  ${body}\n </body>\n</html>`,
    };
  }
  return { contentType: 'text/plain; charset=UTF-8', body: `${status}\n\n${explanation}\n\n\n${refusal.message}\n\n` };
}

function wantsJson(request: StandInRequest): boolean {
  return String(request.headers.accept ?? '').includes(SIMPLE_JSON);
}

function html(body: string): Reply {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
