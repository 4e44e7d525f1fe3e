// trigger-awx-job: what following a chatty job costs. A job prints 20,000 lines over 5 simulated
// minutes (the AWX stand-in compresses time 30×). It is followed twice on the same poll schedule
// (the action's: 2 s growing ×1.5 to 15 s, in simulated time): by the action's own follower, which
// fetches only the job events newer than the last one printed, and by the common alternative that
// re-downloads the whole stdout on every poll (`txt_download`: the display formats stop at 1 MiB).
// Prints requests and bytes received for each, and checks both saw every line. The same 20,000
// lines over 30 simulated minutes (time compressed 120×) shows how each cost grows with duration.
// Last, the committed bundle under the runner emulation: time from process start to its first
// request, and the requests of a whole launch-and-wait of a short job.
import { HttpClient, poll, type Logger } from '@conveyor/core';
import { follow, isTerminal } from '../../actions/trigger-awx-job/src/follow';
import type { Job } from '../../actions/trigger-awx-job/src/launch';
import { OutputTail } from '../../actions/trigger-awx-job/src/tail';
import { runBundle } from '../../test/kit/runner';
import { AwxStandIn } from '../../test/standins/awx/server';
import { figurePrinter } from '../figures';

const LINES = 20_000;

const print = figurePrinter('trigger-awx-job');

interface Scenario {
  suffix: string;
  simulatedSeconds: number;
  timeScale: number;
}

/** The action's poll schedule (2 s growing to 15 s) in simulated time. */
function scheduleFor(timeScale: number) {
  return { intervalMs: 2000 / timeScale, maxIntervalMs: 15_000 / timeScale, timeoutMs: 600_000 };
}

async function scenario({ suffix, simulatedSeconds, timeScale }: Scenario): Promise<void> {
  const awx = new AwxStandIn({ tokens: ['bench-token'], timeScale });
  const templateId = awx.jobTemplate({ name: 'Chatty', organization: 'Bench', script: { lines: LINES, runSeconds: simulatedSeconds } });
  await awx.start();
  const http = new HttpClient({ baseUrl: `${awx.url}/api/v2/`, headers: { authorization: 'Bearer bench-token' }, retries: 0 });
  const schedule = scheduleFor(timeScale);

  async function measure(name: string, followJob: (job: Job) => Promise<number>): Promise<void> {
    const job = (await http.post<Job & { job: number }>(`job_templates/${templateId}/launch/`, { json: {} })).data;
    const requests = awx.journal.length;
    const bytes = awx.bytesServed;
    const lines = await followJob({ ...job, id: job.job });
    if (lines < LINES) throw new Error(`${name}: saw ${lines} of ${LINES} lines`);
    print(`${name}-requests${suffix}`, awx.journal.length - requests, 'requests');
    print(`${name}-bytes${suffix}`, awx.bytesServed - bytes, 'bytes');
  }

  /** The action's follower, printing into a counter. */
  const followEvents = async (job: Job): Promise<number> => {
    let lines = 0;
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warning: () => undefined,
      error: () => undefined,
      group: (_name, fn) => fn(),
      untrusted: (text) => void (lines += text.split('\n').length),
    };
    const signal = new AbortController().signal;
    await follow({
      http,
      kind: 'job',
      job,
      streamOutput: true,
      signal,
      logger,
      tail: new OutputTail(),
      onUpdate: () => undefined,
      ...schedule,
    });
    return lines - (awx.job(job.id)?.hosts.length ?? 0) - 1; // minus the play recap
  };

  /** The alternative: job status and the whole stdout, every poll. */
  const followStdout = async (job: Job): Promise<number> => {
    let text = '';
    await poll({
      check: async () => {
        const status = (await http.get<Job>(`jobs/${job.id}/`)).data.status;
        text = (await http.get<string>(`jobs/${job.id}/stdout/`, { query: { format: 'txt_download' } })).data;
        return isTerminal(status) ? status : undefined;
      },
      ...schedule,
    });
    return text.split('\n').filter((line) => line.startsWith('ok: ')).length;
  };

  try {
    await measure('job-events', followEvents);
    await measure('full-stdout-each-poll', followStdout);
  } finally {
    await awx.stop();
  }
}

/** The committed bundle: start-up to first request (median of 5) and requests for a short job. */
async function bundle(): Promise<void> {
  const awx = new AwxStandIn({ tokens: ['bench-token'] });
  awx.jobTemplate({ name: 'Short', organization: 'Bench', prompts: ['variables'], script: { lines: 20, runSeconds: 1 } });
  await awx.start();
  const firstRequest: number[] = [];
  let requests = 0;
  try {
    for (let i = 0; i < 5; i++) {
      awx.reset();
      const started = Date.now();
      const result = await runBundle({
        action: 'actions/trigger-awx-job',
        inputs: { 'controller-url': awx.url, token: 'bench-token', 'job-template': 'Short', 'extra-vars': 'tag: "1.0.3"' },
      });
      if (result.exitCode !== 0) throw new Error(`the bundle failed: ${result.errors.join('; ')}`);
      firstRequest.push((awx.journal[0]?.at ?? NaN) - started);
      requests = awx.journal.length;
    }
  } finally {
    await awx.stop();
  }
  print('bundle-start-to-first-request', [...firstRequest].sort((a, b) => a - b)[2] as number, 'ms');
  print('bundle-requests-short-job', requests, 'requests');
}

await scenario({ suffix: '', simulatedSeconds: 300, timeScale: 30 });
await scenario({ suffix: '-30min', simulatedSeconds: 1800, timeScale: 120 });
await bundle();
