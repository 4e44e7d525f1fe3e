/**
 * The stand-ins' trust material as a Sigstore TrustedRoot (protobuf-specs `trusted_root.proto`, the
 * JSON form of the public instance's `trusted_root.json` from its TUF repository): the Fulcio
 * stand-in's CA chain and the Rekor stand-in's log key. No CT logs or timestamp authorities.
 */
import type { FulcioStandIn } from './fulcio';
import type { RekorStandIn } from './rekor';

export function trustedRoot(fulcio: FulcioStandIn, rekor: RekorStandIn): Record<string, unknown> {
  const start = new Date(Date.now() - 86_400_000).toISOString();
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: rekor.url,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: rekor.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
          keyDetails: 'PKIX_ECDSA_P256_SHA_256',
          validFor: { start },
        },
        logId: { keyId: rekor.logId.toString('base64') },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.dev', commonName: 'sigstore' },
        uri: fulcio.url,
        certChain: { certificates: fulcio.chainDer().map((der) => ({ rawBytes: der.toString('base64') })) },
        validFor: { start },
      },
    ],
    ctlogs: [],
    timestampAuthorities: [],
  };
}
