/**
 * The GitHub stand-in's model: repositories, workflows and their simulated runs. A run's state is not
 * stored but derived from the clock: its jobs and steps have durations and outcomes fixed at dispatch,
 * so reading it at time t gives what GitHub would show at t (queued → in_progress → completed).
 */

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral' | 'action_required';
export type Status = 'queued' | 'in_progress' | 'completed';

export interface StepDefinition {
  /** May use `${{ inputs.x }}`, `${{ github.event.client_payload.x }}` and the like. */
  name: string;
  /** Simulated duration (default 1 s). */
  durationMs?: number;
  /**
   * How the step ends (default success). `cancelled` cancels the whole run when the step ends. A
   * template (`${{ inputs.outcome }}`) lets the dispatch decide; anything else rendered means success.
   */
  conclusion?: 'success' | 'failure' | 'cancelled' | `\${{ ${string} }}`;
}

export interface JobDefinition {
  name: string;
  steps: StepDefinition[];
}

export interface WorkflowInput {
  description?: string;
  required?: boolean;
  default?: string;
  type?: 'string' | 'boolean' | 'choice' | 'number' | 'environment';
  options?: string[];
}

export interface WorkflowDefinition {
  /** Numeric id (assigned if omitted). */
  id?: number;
  /** File path, e.g. `.github/workflows/build.yml`; dispatch accepts its base name as the id. */
  path: string;
  /** Display name (the workflow's `name:`). */
  name: string;
  state?: 'active' | 'disabled_manually';
  /** `on.workflow_dispatch.inputs`; omit `workflowDispatch` for a workflow without that trigger. */
  workflowDispatch?: { inputs?: Record<string, WorkflowInput> };
  /** `on.repository_dispatch.types`; an empty list accepts every event type. */
  repositoryDispatch?: { types?: string[] };
  /** The workflow's `run-name:` template (default: the workflow name, or the event's own title). */
  runName?: string;
  jobs: JobDefinition[];
  /** Time from dispatch until the run is listed (GitHub takes a moment; default 0). */
  creationDelayMs?: number;
  /** Time the run stays queued before its first job starts (default 0). */
  queueMs?: number;
  /** Time between a cancel request and the run completing as cancelled (default 0). */
  cancelDelayMs?: number;
}

export interface StepState {
  name: string;
  number: number;
  status: Status;
  conclusion: Conclusion | null;
  startedAt: number | null;
  completedAt: number | null;
}

export interface JobState {
  name: string;
  status: Status;
  conclusion: Conclusion | null;
  startedAt: number;
  completedAt: number | null;
  steps: StepState[];
}

export interface RunState {
  status: Status;
  conclusion: Conclusion | null;
  startedAt: number;
  updatedAt: number;
  completedAt: number | null;
  jobs: JobState[];
}

interface PlannedStep {
  name: string;
  start: number;
  end: number;
  conclusion: Conclusion;
}

interface PlannedJob {
  name: string;
  start: number;
  end: number;
  conclusion: Conclusion;
  steps: PlannedStep[];
}

/** A run's fixed plan: when each job and step starts and ends, and how (before any cancel request). */
export interface RunPlan {
  createdAt: number;
  startedAt: number;
  jobs: PlannedJob[];
  /** When the run ends by itself, and with which conclusion. */
  end: number;
  conclusion: Conclusion;
  cancelDelayMs: number;
}

/**
 * Jobs run one after another (a `needs:` chain): a failed or cancelled step ends its job, the jobs
 * after a failure are skipped, and a `cancelled` step cancels the run at its end.
 */
export function planRun(
  jobs: Array<{ name: string; steps: StepDefinition[] }>,
  createdAt: number,
  queueMs = 0,
  cancelDelayMs = 0,
): RunPlan {
  const startedAt = createdAt + queueMs;
  let clock = startedAt;
  let runConclusion: Conclusion = 'success';
  const planned: PlannedJob[] = [];
  for (const job of jobs) {
    const jobStart = clock;
    if (runConclusion !== 'success') {
      planned.push({ name: job.name, start: jobStart, end: jobStart, conclusion: 'skipped', steps: [] });
      continue;
    }
    const steps: PlannedStep[] = [];
    let jobConclusion: Conclusion = 'success';
    for (const step of job.steps) {
      const start = clock;
      if (jobConclusion !== 'success') {
        steps.push({ name: step.name, start, end: start, conclusion: 'skipped' });
        continue;
      }
      clock += step.durationMs ?? 1000;
      const conclusion = step.conclusion === 'failure' || step.conclusion === 'cancelled' ? step.conclusion : 'success';
      steps.push({ name: step.name, start, end: clock, conclusion });
      if (conclusion !== 'success') jobConclusion = conclusion;
    }
    planned.push({ name: job.name, start: jobStart, end: clock, conclusion: jobConclusion, steps });
    if (jobConclusion !== 'success') runConclusion = jobConclusion;
  }
  return { createdAt, startedAt, jobs: planned, end: clock, conclusion: runConclusion, cancelDelayMs };
}

/** What GitHub shows for a run at `now`, given when (if ever) a cancel was requested. */
export function runStateAt(plan: RunPlan, now: number, cancelRequestedAt?: number): RunState {
  const cancelEnd = cancelRequestedAt !== undefined ? cancelRequestedAt + plan.cancelDelayMs : undefined;
  // A cancel only matters if it lands before the run ended by itself.
  const cancelledAt = cancelEnd !== undefined && cancelEnd < plan.end ? cancelEnd : undefined;
  const end = cancelledAt ?? plan.end;
  const jobs = plan.jobs.map((job): JobState => {
    const steps = job.steps.map((step, index): StepState => {
      const cut = cancelledAt !== undefined && step.end > cancelledAt;
      const stepEnd = cut ? cancelledAt : step.end;
      const done = stepEnd <= now;
      return {
        name: step.name,
        number: index + 1,
        status: done ? 'completed' : step.start <= now ? 'in_progress' : 'queued',
        conclusion: done ? (cut ? (step.start < cancelledAt ? 'cancelled' : 'skipped') : step.conclusion) : null,
        startedAt: step.start <= now ? step.start : null,
        completedAt: done ? stepEnd : null,
      };
    });
    const cut = cancelledAt !== undefined && job.end > cancelledAt;
    const jobEnd = cut ? cancelledAt : job.end;
    const done = jobEnd <= now;
    const jobConclusion = cut ? (job.start < cancelledAt ? 'cancelled' : 'skipped') : job.conclusion;
    return {
      name: job.name,
      status: done ? 'completed' : job.start <= now ? 'in_progress' : 'queued',
      conclusion: done ? jobConclusion : null,
      startedAt: Math.min(job.start, jobEnd),
      completedAt: done ? jobEnd : null,
      steps: job.start <= now ? steps : [],
    };
  });
  const completed = end <= now;
  const changes = [
    plan.createdAt,
    plan.startedAt,
    ...plan.jobs.flatMap((job) => [job.start, job.end, ...job.steps.map((step) => step.end)]),
  ];
  if (cancelRequestedAt !== undefined) changes.push(cancelRequestedAt);
  changes.push(end);
  const updatedAt = Math.max(...changes.filter((time) => time <= now));
  return {
    status: completed ? 'completed' : now >= plan.startedAt ? 'in_progress' : 'queued',
    conclusion: completed ? (cancelledAt !== undefined ? 'cancelled' : plan.conclusion) : null,
    startedAt: plan.startedAt,
    updatedAt,
    completedAt: completed ? end : null,
    jobs,
  };
}

/** Evaluates the `${{ a.b.c }}` expressions of a run-name, job or step name (unknown paths → ''). */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_, path: string) => {
    const value = path
      .split('.')
      .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), context);
    if (value === undefined || value === null) return '';
    // As Actions' expressions coerce them (@actions/expressions: kindStr): an object is "Object", an array "Array".
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    return Array.isArray(value) ? 'Array' : 'Object';
  });
}

/** Whether `iso` satisfies GitHub's `created` search qualifier (`>=2026-01-01`, `a..b`, `<t`, a date). */
export function matchesCreated(filter: string, iso: string): boolean {
  const time = Date.parse(iso);
  const bound = (text: string, end: boolean) => {
    if (text === '*') return end ? Infinity : -Infinity;
    const parsed = Date.parse(text);
    if (Number.isNaN(parsed)) throw new Error(`bad created qualifier: ${filter}`);
    // A bare date as an upper bound includes the whole day.
    return end && /^\d{4}-\d{2}-\d{2}$/.test(text) ? parsed + 86_400_000 - 1 : parsed;
  };
  const range = /^(.+)\.\.(.+)$/.exec(filter);
  if (range) return time >= bound(range[1] as string, false) && time <= bound(range[2] as string, true);
  const comparison = /^(>=|<=|>|<)(.+)$/.exec(filter);
  if (comparison) {
    const [, operator, text] = comparison as unknown as [string, string, string];
    if (operator === '>=') return time >= bound(text, false);
    if (operator === '>') return time > bound(text, true);
    if (operator === '<=') return time <= bound(text, true);
    return time < bound(text, false);
  }
  return time >= bound(filter, false) && time <= bound(filter, true);
}
