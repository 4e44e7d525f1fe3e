// trigger-awx-job: launch an AWX / Automation Controller job or workflow template by name or id,
// refuse launch fields AWX would silently drop, follow the job with its output streamed, and fail
// the step unless the job succeeds.
import { defineAction } from '@conveyor/core';
import { createAwxClient } from './api';
import { getInputs } from './inputs';
import { outputs, writeSummary } from './report';
import { newJobRun, triggerJob } from './trigger';

export const run = defineAction({
  getInputs,
  newResult: newJobRun,
  run: (inputs, result, context) => triggerJob(createAwxClient(inputs, context.logger, context.signal), inputs, result, context),
  outputs,
  writeSummary,
});
