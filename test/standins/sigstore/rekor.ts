/**
 * Rekor stand-in: Sigstore's transparency log (v1 API) as `@sigstore/sign` and the action use it.
 * - `POST /api/v1/log/entries` with a `dsse` v0.0.1 proposed entry (`{apiVersion, kind: 'dsse', spec:
 *   {proposedContent: {envelope: <JSON string>, verifiers: [base64(PEM)]}}}`): the envelope's
 *   signatures are verified with the verifiers, then the entry is canonicalized as Rekor does
 *   (`pkg/types/dsse/v0.0.1/entry.go`: `{apiVersion, kind, spec: {envelopeHash, payloadHash,
 *   signatures: [{signature, verifier}]}}`, JCS) and appended to an RFC 6962 Merkle tree. The answer
 *   is `201 {<entry UUID>: {body, integratedTime, logID, logIndex, verification: {inclusionProof:
 *   {checkpoint, hashes, logIndex, rootHash, treeSize}, signedEntryTimestamp}}}` with Location and
 *   ETag (`pkg/api/entries.go` createLogEntry): the SET signs the JCS of `{body, integratedTime,
 *   logID, logIndex}`; `logIndex` is the virtual index across shards while the proof's `logIndex` is
 *   the leaf's index in the active tree (so they differ, as they do on rekor.sigstore.dev); the
 *   checkpoint is a signed note `<host> - <treeID>\n<size>\n<root b64>\n\n— <host> <keyhint+sig>\n`
 *   (`pkg/util/checkpoint.go`, compare the checkpoints in pypi-attestations' test assets). An entry
 *   already in the log is `409 {code, message}` with the existing entry's Location.
 * - `GET /api/v1/log/entries/<uuid>`, `GET /api/v1/log/publicKey` (PEM), `GET /api/v1/log` (log info).
 * Errors are `{code, message}` (go-swagger's Error model). Not modelled: other entry kinds (hashedrekord,
 * intoto: answered 400), search, Rekor v2.
 * Checked against Sigstore's own client in `sigstore.test.ts`.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import { json as canonical, dsse } from '@sigstore/core';
import { StandIn, type Reply } from '../../kit/standin';

interface StoredEntry {
  uuid: string;
  body: Buffer;
  integratedTime: number;
  leafIndex: number;
}

export class RekorStandIn extends StandIn {
  readonly entries: StoredEntry[] = [];
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  /** The active tree's id, and the entries of the shards before it (virtual index offset). */
  readonly treeId = String(randomInt(2 ** 47, 2 ** 48));
  readonly inactiveShardsSize = 122_000_000;
  /** Leaf hashes of the active tree; it starts with a few entries of others, as a live log has. */
  private readonly leaves: Buffer[] = Array.from({ length: 5 }, () => leafHash(randomBytes(64)));

  constructor() {
    super();
    ({ publicKey: this.publicKey, privateKey: this.privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    this.route('POST', '/api/v1/log/entries', (request) => this.create(request.body.toString('utf8')));
    this.route('GET', '/api/v1/log/entries/:uuid', (request) => {
      const entry = this.entries.find(
        (candidate) => candidate.uuid === request.params.uuid || this.entryId(candidate) === request.params.uuid,
      );
      return entry ? { status: 200, json: this.logEntry(entry) } : error(404, 'ENTRY_NOT_FOUND');
    });
    this.route('GET', '/api/v1/log/publicKey', () => ({
      status: 200,
      headers: { 'content-type': 'application/x-pem-file' },
      body: this.publicKey.export({ format: 'pem', type: 'spki' }),
    }));
    this.route('GET', '/api/v1/log', () => ({
      status: 200,
      json: {
        rootHash: merkleRoot(this.leaves).toString('hex'),
        treeSize: this.leaves.length,
        signedTreeHead: this.checkpoint(),
        treeID: this.treeId,
        inactiveShards: [],
      },
    }));
  }

  /** The log id: SHA-256 of the DER public key. */
  get logId(): Buffer {
    return createHash('sha256')
      .update(this.publicKey.export({ format: 'der', type: 'spki' }))
      .digest();
  }

  /** The checkpoint signer's name (the host, as Rekor's `--rekor_server.hostname`). */
  get host(): string {
    return new URL(this.url).host;
  }

  private create(text: string): Reply {
    let proposed: { apiVersion?: string; kind?: string; spec?: { proposedContent?: { envelope?: string; verifiers?: string[] } } };
    try {
      proposed = JSON.parse(text) as typeof proposed;
    } catch {
      return error(400, 'error parsing request body');
    }
    if (proposed.kind !== 'dsse' || proposed.apiVersion !== '0.0.1') {
      return error(400, `validation failure: the stand-in models dsse v0.0.1 entries only, not ${proposed.kind}/${proposed.apiVersion}`);
    }
    const content = proposed.spec?.proposedContent;
    if (!content?.envelope) return error(400, 'validation failure: proposed content envelope is missing');
    let envelope: { payload?: string; payloadType?: string; signatures?: Array<{ sig?: string }> };
    try {
      envelope = JSON.parse(content.envelope) as typeof envelope;
    } catch {
      return error(400, 'validation failure: the envelope is not JSON');
    }
    if (!envelope.signatures?.length) return error(400, 'validation failure: DSSE envelope must contain 1 or more signatures');
    const payload = Buffer.from(envelope.payload ?? '', 'base64');
    const signed = dsse.preAuthEncoding(envelope.payloadType ?? '', payload);
    const verifiers = (content.verifiers ?? []).map((verifier) => Buffer.from(verifier, 'base64').toString('utf8'));
    const signatures: Array<{ signature: string; verifier: string }> = [];
    for (const { sig = '' } of envelope.signatures) {
      const verifier = verifiers.find((pem) => verify('sha256', signed, createPublicKey(pem), Buffer.from(sig, 'base64')));
      if (!verifier) return error(400, 'validation failure: could not verify envelope: no matching verifier for the signature');
      signatures.push({ signature: sig, verifier: Buffer.from(verifier).toString('base64') });
    }
    signatures.sort((a, b) => (a.signature < b.signature ? -1 : 1));
    const body = Buffer.from(
      canonical.canonicalize({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(content.envelope)).toString('hex') },
          payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
          signatures,
        },
      }),
    );
    const uuid = leafHash(body).toString('hex');
    const existing = this.entries.find((entry) => entry.uuid === uuid);
    if (existing) {
      const id = this.entryId(existing);
      return {
        status: 409,
        headers: { location: `/api/v1/log/entries/${id}` },
        json: { code: 409, message: `An equivalent entry already exists in the transparency log with UUID ${id}` },
      };
    }
    const entry: StoredEntry = { uuid, body, integratedTime: Math.floor(Date.now() / 1000), leafIndex: this.leaves.length };
    this.leaves.push(leafHash(body));
    this.entries.push(entry);
    const id = this.entryId(entry);
    return { status: 201, headers: { location: `/api/v1/log/entries/${id}`, etag: id }, json: this.logEntry(entry) };
  }

  /** The entry id Rekor hands out: the tree id (16 hex digits) then the leaf hash. */
  private entryId(entry: StoredEntry): string {
    return `${BigInt(this.treeId).toString(16).padStart(16, '0')}${entry.uuid}`;
  }

  private logEntry(entry: StoredEntry): Record<string, unknown> {
    const logIndex = this.inactiveShardsSize + entry.leafIndex;
    const logID = this.logId.toString('hex');
    const body = entry.body.toString('base64');
    const set = sign(
      'sha256',
      Buffer.from(canonical.canonicalize({ body, integratedTime: entry.integratedTime, logID, logIndex })),
      this.privateKey,
    );
    return {
      [this.entryId(entry)]: {
        body,
        integratedTime: entry.integratedTime,
        logID,
        logIndex,
        verification: {
          inclusionProof: {
            checkpoint: this.checkpoint(),
            hashes: inclusionPath(entry.leafIndex, this.leaves).map((hash) => hash.toString('hex')),
            logIndex: entry.leafIndex,
            rootHash: merkleRoot(this.leaves).toString('hex'),
            treeSize: this.leaves.length,
          },
          signedEntryTimestamp: set.toString('base64'),
        },
      },
    };
  }

  /** The signed note for the current tree head. */
  private checkpoint(): string {
    const note = `${this.host} - ${this.treeId}\n${this.leaves.length}\n${merkleRoot(this.leaves).toString('base64')}\n`;
    const signature = Buffer.concat([this.logId.subarray(0, 4), sign('sha256', Buffer.from(note), this.privateKey)]);
    return `${note}\n\u2014 ${this.host} ${signature.toString('base64')}\n`;
  }
}

function error(code: number, message: string): Reply {
  return { status: code, json: { code, message } };
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

// RFC 6962 §2.1: leaf hashes are H(0x00 || leaf), interior nodes H(0x01 || left || right).
function leafHash(leaf: Buffer): Buffer {
  return sha256(Buffer.concat([Buffer.from([0]), leaf]));
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([Buffer.from([1]), left, right]));
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0] as Buffer;
  const k = split(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** PATH(m, D[n]): the audit path of leaf m, deepest sibling first. */
function inclusionPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...inclusionPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
    : [...inclusionPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}
