/**
 * Following a launched job to its end. Its output is streamed from the job events, fetching only
 * events newer than the last one printed (never the whole stdout again, which AWX also replaces by
 * a "too large to display" sentence above 1 MiB). Workflow jobs report their nodes as they change,
 * and stream each node job's output the same way.
 * Remote text goes through `logger.untrusted`, so job output cannot issue workflow commands.
 */
import { TimeoutError, errorMessage, formatDuration, poll, sleep, type HttpClient, type Logger } from '@conveyor/core';
import type { Page } from './api';
import type { Job } from './launch';
import { jobLabel, jobsCollection, type TemplateKind } from './prompts';
import { OutputTail } from './tail';

const TERMINAL_STATUSES = ['successful', 'failed', 'error', 'canceled'];
const EVENT_PAGE_SIZE = 200;
/** Pages fetched per poll at most, so a large backlog cannot hold back the status checks. */
const MAX_PAGES_PER_POLL = 25;
/** How long a missing event is waited for while later ones are already there. */
const GAP_WAIT_MS = 5000;

interface JobEvent {
  counter: number;
  stdout?: string;
}

export interface WorkflowNode {
  id: number;
  job: number | null;
  do_not_run?: boolean;
  summary_fields?: {
    unified_job_template?: { name?: string };
    job?: { id: number; name?: string; status?: string; elapsed?: number };
  };
}

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.includes(status);
}

function jobPath(kind: TemplateKind, job: Job): string {
  return job.url ?? `${jobsCollection(kind)}/${job.id}/`;
}

function related(job: Job, name: string, kind: TemplateKind): string {
  return job.related?.[name] ?? `${jobPath(kind, job)}${name}/`;
}

/** The clock and sleep of a wait, replaceable (as in core's `poll`) so tests can compress time. */
export interface Clock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const REAL_CLOCK: Clock = { now: Date.now, sleep };

/** Prints a job's events once each, in order, from where the last call stopped. */
export class EventStream {
  private last = 0;
  /** A missing counter and when it was first missed: AWX saves events asynchronously, so wait a little. */
  private gap?: { counter: number; since: number };

  constructor(
    private readonly http: HttpClient,
    private readonly path: string,
    private readonly logger: Logger,
    private readonly tail: OutputTail,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Fetches and prints new events, a bounded number of pages; `final` once AWX has saved them all
   * (no gap will fill). Resolves true when it has caught up.
   */
  async drain(final: boolean): Promise<boolean> {
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const query = { order_by: 'counter', counter__gt: this.last, page_size: EVENT_PAGE_SIZE };
      const { data } = await this.http.get<Page<JobEvent>>(this.path, { query });
      for (const event of data.results) {
        if (event.counter > this.last + 1 && !final && this.waitForGap(this.last + 1)) return true;
        this.print(event);
      }
      if (!data.next || data.results.length === 0) return true;
    }
    return false;
  }

  private waitForGap(counter: number): boolean {
    if (this.gap?.counter !== counter) this.gap = { counter, since: this.now() };
    return this.now() - this.gap.since < GAP_WAIT_MS;
  }

  private print(event: JobEvent): void {
    this.last = event.counter;
    if (!event.stdout) return;
    this.logger.untrusted(event.stdout);
    this.tail.push(event.stdout);
  }
}

/** Reports workflow nodes as their jobs start and finish and, when streaming, their jobs' output. */
class NodeReporter {
  private readonly seen = new Map<number, string>();
  /** Each node job's event stream, until it has printed the output of a finished job. */
  private readonly streams = new Map<number, { events: EventStream; done: boolean }>();

  constructor(
    private readonly http: HttpClient,
    private readonly path: string,
    private readonly logger: Logger,
    private readonly tail: OutputTail | undefined,
    private readonly now: () => number,
  ) {}

  async update(): Promise<WorkflowNode[]> {
    const { data } = await this.http.get<Page<WorkflowNode>>(this.path, { query: { page_size: EVENT_PAGE_SIZE, order_by: 'id' } });
    for (const node of data.results) {
      const job = node.summary_fields?.job;
      if (!job?.status) continue;
      if (this.seen.get(node.id) !== job.status) {
        this.seen.set(node.id, job.status);
        this.logger.untrusted(`Workflow node '${node.summary_fields?.unified_job_template?.name ?? node.id}': job ${job.id} ${job.status}`);
      }
      if (this.tail) await this.stream(job.id, isTerminal(job.status));
    }
    return data.results;
  }

  /** Prints what is left of the node jobs' output once the workflow is over. */
  async finish(): Promise<void> {
    for (const entry of this.streams.values()) while (!entry.done) entry.done = await entry.events.drain(true);
  }

  private async stream(jobId: number, finished: boolean): Promise<void> {
    const entry = this.streams.get(jobId) ?? {
      events: new EventStream(this.http, `jobs/${jobId}/job_events/`, this.logger, this.tail!, this.now),
      done: false,
    };
    this.streams.set(jobId, entry);
    if (!entry.done) entry.done = (await entry.events.drain(finished)) && finished;
  }
}

export interface FollowOptions {
  http: HttpClient;
  kind: TemplateKind;
  job: Job;
  streamOutput: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  logger: Logger;
  tail: OutputTail;
  /** Called with every fresh view of the job (its latest status is known even after a timeout). */
  onUpdate: (job: Job) => void;
  intervalMs?: number;
  maxIntervalMs?: number;
  clock?: Clock;
}

export interface FollowResult {
  job: Job;
  /** Workflow jobs: their nodes at the end. */
  nodes: WorkflowNode[];
}

/** Waits for the job to end, streaming its output; throws TimeoutError at the deadline. */
export async function follow(options: FollowOptions): Promise<FollowResult> {
  const { http, kind, streamOutput, signal, logger, tail, onUpdate, clock = REAL_CLOCK } = options;
  const path = jobPath(kind, options.job);
  const events =
    kind === 'job' && streamOutput ? new EventStream(http, related(options.job, 'job_events', kind), logger, tail, clock.now) : undefined;
  const nodes =
    kind === 'workflow'
      ? new NodeReporter(http, related(options.job, 'workflow_nodes', kind), logger, streamOutput ? tail : undefined, clock.now)
      : undefined;
  let job = options.job;
  let latestNodes: WorkflowNode[] = [];
  const refresh = async () => {
    job = (await http.get<Job>(path)).data;
    onUpdate(job);
    // Events after the status: once the job is over and its events saved, this drain prints them all.
    await events?.drain(isTerminal(job.status) && job.event_processing_finished !== false);
    if (nodes && (streamOutput || isTerminal(job.status))) latestNodes = await nodes.update();
  };
  const started = clock.now();
  await poll({
    check: async () => {
      await refresh();
      return isTerminal(job.status) ? job : undefined;
    },
    intervalMs: options.intervalMs ?? 2000,
    maxIntervalMs: options.maxIntervalMs ?? 15_000,
    timeoutMs: options.timeoutMs,
    signal,
    logger,
    heartbeat: (elapsedMs) => `AWX ${jobLabel(kind)} ${job.id} is ${job.status} (${Math.round(elapsedMs / 1000)} s)`,
    timeoutMessage: () => `AWX ${jobLabel(kind)} ${job.id} did not finish within ${formatDuration(options.timeoutMs)}`,
    // A gateway restarting mid-job: the job goes on, so a few failed reads in a row are waited through.
    transientFailures: {
      warning: (error) => `Could not read AWX ${jobLabel(kind)} ${job.id} (${errorMessage(error)}); trying again, the job goes on`,
    },
    ...clock,
  });
  // AWX saves events a little after the status changes: let the stream catch up, briefly.
  for (let i = 0; events && job.event_processing_finished === false && i < 10 && clock.now() - started < options.timeoutMs; i++) {
    await clock.sleep(1000, signal);
    await refresh();
  }
  // The rest of a backlog that was larger than one poll's pages.
  while (events && !(await events.drain(true)));
  await nodes?.finish();
  return { job, nodes: latestNodes };
}

/** After a failure: the last lines of a job's output, from its newest events (one request). */
export async function fetchTail(http: HttpClient, jobId: number, tail: OutputTail): Promise<void> {
  const { data } = await http.get<Page<JobEvent>>(`jobs/${jobId}/job_events/`, { query: { order_by: '-counter', page_size: 40 } });
  for (const event of data.results.reverse()) if (event.stdout) tail.push(event.stdout);
}

/** Asks AWX to cancel the job; one that already ended (405) is fine. */
export async function cancelJob(http: HttpClient, kind: TemplateKind, job: Job, logger: Logger): Promise<void> {
  const reply = await http.post(related(job, 'cancel', kind), {
    accept: [405],
    // Cancelling twice is harmless, so an ambiguous failure may simply be sent again.
    reconcile: () => Promise.resolve(undefined),
  });
  if (reply.status === 405) logger.info(`AWX ${jobLabel(kind)} ${job.id} had already finished; nothing to cancel`);
  else logger.warning(`Asked AWX to cancel ${jobLabel(kind)} ${job.id}`);
}

/** Waits (briefly) for a cancelled job to reach a final status. */
export async function awaitEnd(http: HttpClient, kind: TemplateKind, job: Job, waitMs: number): Promise<Job> {
  try {
    return await poll({
      check: async () => {
        const current = (await http.get<Job>(jobPath(kind, job))).data;
        return isTerminal(current.status) ? current : undefined;
      },
      intervalMs: 500,
      maxIntervalMs: 2000,
      timeoutMs: waitMs,
    });
  } catch (error) {
    if (error instanceof TimeoutError) return job;
    throw error;
  }
}
