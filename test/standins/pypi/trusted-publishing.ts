/**
 * The services a trusted-publishing upload with PEP 740 attestations meets, started together: the
 * runner's OIDC issuer (claims of a job in `repository` running `workflow`, environment `pypi`),
 * Fulcio and Rekor trusting that issuer, and PyPI trusting that workflow as the project's publisher
 * and the Sigstore stand-ins as its roots.
 */
import { FulcioStandIn } from '../sigstore/fulcio';
import { RekorStandIn } from '../sigstore/rekor';
import { trustedRoot } from '../sigstore/trust';
import { githubClaims, GITHUB_ISSUER, OidcIssuerStandIn } from './oidc-issuer';
import { PyPIStandIn } from './server';

export interface TrustedPublishing {
  issuer: OidcIssuerStandIn;
  fulcio: FulcioStandIn;
  rekor: RekorStandIn;
  index: PyPIStandIn;
}

export async function startTrustedPublishing(options: {
  repository: string;
  /** API tokens the index also accepts. */
  tokens: string[];
  /** The workflow file of the job and of the registered publisher (default release.yml). */
  workflow?: string;
}): Promise<TrustedPublishing> {
  const { repository, tokens, workflow = 'release.yml' } = options;
  const issuer = new OidcIssuerStandIn(
    githubClaims({
      repository,
      workflowFile: 'release.yml',
      environment: 'pypi',
      jobWorkflowRef: `${repository}/.github/workflows/${workflow}@refs/heads/main`,
    }),
  );
  const fulcio = new FulcioStandIn([{ issuer: GITHUB_ISSUER, publicKey: issuer.publicKey }]);
  const rekor = new RekorStandIn();
  await Promise.all([issuer.start(), fulcio.start(), rekor.start()]);
  const index = new PyPIStandIn({
    tokens,
    publisher: { repository, workflow, environment: 'pypi' },
    sigstoreTrust: trustedRoot(fulcio, rekor),
  });
  await index.start();
  return { issuer, fulcio, rekor, index };
}

export async function stopTrustedPublishing({ issuer, fulcio, rekor, index }: TrustedPublishing): Promise<void> {
  await Promise.all([issuer.stop(), fulcio.stop(), rekor.stop(), index.stop()]);
}
