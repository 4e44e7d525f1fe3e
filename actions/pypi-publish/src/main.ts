// pypi-publish: build (optionally), verify every distribution, then upload them with an API token or
// a token minted by trusted publishing. Nothing is uploaded unless every file passes.
import * as core from '@actions/core';
import { maskSecret, runAction, type StepContext } from '@conveyor/core';
import { getInputs } from './inputs';
import { publish, type FileReport, type PublishState } from './publish';
import { writeSummary } from './report';

async function main({ logger, signal, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs();
  maskSecret(inputs.password, inputs.username);
  const state: PublishState = { files: [] };
  try {
    await publish(inputs, state, {
      logger,
      signal,
      getIdToken: (audience) => core.getIDToken(audience),
      onRelease: (release) => {
        setOutput('name', release.name);
        setOutput('version', release.version);
      },
    });
  } finally {
    const named = (result: FileReport['result']) =>
      JSON.stringify(state.files.filter((file) => file.result === result).map((file) => file.fileName));
    setOutput('uploaded', named('uploaded'));
    setOutput('skipped', named('skipped'));
    setOutput('hashes', JSON.stringify(Object.fromEntries(state.files.map((file) => [file.fileName, file.digests.sha256]))));
    writeSummary(summary, inputs, state.release, state.files);
  }
}

export const run = () => runAction({ main });
