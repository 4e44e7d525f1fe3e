// pypi-publish: build (optionally), verify every distribution, then upload them with an API token or
// a token minted by trusted publishing. Nothing is uploaded unless every file passes.
import { defineAction, HttpClient } from '@conveyor/core';
import { getInputs } from './inputs';
import { publish, type PublishResult } from './publish';
import { outputs, writeSummary } from './report';
import { nodeFetch } from './transport';
import { PackageIndex } from './upload';

export const run = defineAction({
  getInputs,
  newResult: (): PublishResult => ({ files: [], attestations: [] }),
  run: (inputs, result, { logger, signal }) => {
    const http = new HttpClient({ retries: inputs.retries, signal, logger, fetch: nodeFetch });
    const index = new PackageIndex(inputs.endpoints, http, logger);
    // @actions/core, with its own HTTP client, loads only when an OIDC token is asked for.
    const getIdToken = async (audience: string) => (await import('@actions/core')).getIDToken(audience);
    return publish(inputs, result, { index, http, getIdToken, logger, signal });
  },
  outputs,
  writeSummary,
});
