/**
 * Pre-flight and launch. The preflight (`GET …/launch/`) tells what the template still needs and
 * what it would silently drop, before anything runs. The launch POST is sent once: if it fails
 * ambiguously (connection lost, 5xx), the template's recent jobs are searched for the one it created
 * before the POST may be sent again.
 */
import { ConfigurationError, HttpError, errorMessage, type HttpClient, type HttpResponse, type Logger } from '@conveyor/core';
import type { Page } from './api';
import { jobsCollection, missingAtLaunch, unpromptedFields, type LaunchInfo, type TemplateKind, type Unprompted } from './prompts';
import type { Template } from './templates';

export interface Preflight {
  /** Fields AWX would ignore. */
  unprompted: Unprompted[];
  /** The controller's clock when the preflight was answered (to find our job by creation time). */
  serverTime: number;
}

export interface Job {
  id: number;
  type?: string;
  status: string;
  url?: string;
  created?: string;
  failed?: boolean;
  elapsed?: number;
  job_explanation?: string;
  result_traceback?: string;
  event_processing_finished?: boolean;
  extra_vars?: string;
  related?: Record<string, string>;
  [field: string]: unknown;
}

export interface Launched {
  job: Job;
  /** Fields AWX ignored; undefined when the reply was lost and the job was found by reconciling. */
  ignored?: Record<string, unknown>;
}

/** Reads the launch endpoint and fails, before launching, on anything the template still needs. */
export async function preflight(http: HttpClient, template: Template, body: Record<string, unknown>): Promise<Preflight> {
  const reply = await http.get<LaunchInfo>(template.related.launch);
  const info = reply.data;
  const missing = missingAtLaunch(info, body);
  if (missing.length > 0) {
    throw new ConfigurationError(`Template '${template.name}' cannot start without ${missing.join('; ')}`);
  }
  let surveyVariables: string[] = [];
  if (info.survey_enabled && !info.ask_variables_on_launch && body.extra_vars && template.related.survey_spec) {
    const spec = await http.get<{ spec?: Array<{ variable: string }> }>(template.related.survey_spec);
    surveyVariables = (spec.data.spec ?? []).map((question) => question.variable);
  }
  const serverTime = Date.parse(reply.headers.get('date') ?? '');
  return { unprompted: unpromptedFields(info, body, surveyVariables), serverTime: Number.isNaN(serverTime) ? Date.now() : serverTime };
}

export interface LaunchOptions {
  http: HttpClient;
  template: Template;
  kind: TemplateKind;
  body: Record<string, unknown>;
  /** Fields the preflight found unprompted: a found job is not expected to carry them. */
  unprompted: Unprompted[];
  serverTime: number;
  logger: Logger;
}

/** Launches once and returns the job. */
export async function launch(options: LaunchOptions): Promise<Launched> {
  const { http, template, body } = options;
  let reply: HttpResponse<Job & { job?: number; workflow_job?: number; ignored_fields?: Record<string, unknown> }>;
  try {
    reply = await http.post(template.related.launch, { json: body, reconcile: () => findLaunchedJob(options) });
  } catch (error) {
    if (error instanceof HttpError && error.status !== undefined && error.status < 500) {
      throw new ConfigurationError(`AWX refused to launch '${template.name}' (HTTP ${error.status}): ${refusal(error.body)}`);
    }
    throw new Error(
      `Launching '${template.name}' failed (${errorMessage(error)}); a job may or may not have started: check the template's jobs in AWX before re-running`,
    );
  }
  const data = reply.data;
  const id = data.job ?? data.workflow_job ?? data.id;
  return { job: { ...data, id }, ignored: reply.status === 201 || reply.status === 202 ? (data.ignored_fields ?? {}) : undefined };
}

/** A one-line account of AWX's reason, e.g. `variables_needed_to_start: 'image_tag' value missing`. */
function refusal(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return Object.entries(parsed)
      .map(
        ([key, value]) => `${key}: ${Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : JSON.stringify(value)}`,
      )
      .join('; ');
  } catch {
    return body.replace(/\s+/g, ' ').slice(0, 300) || 'no details';
  }
}

const COMPARED_FIELDS = ['limit', 'job_tags', 'skip_tags', 'scm_branch', 'job_type', 'verbosity', 'inventory'];

/** A launch field as text: the number 2 sent matches the 2 a job shows, whatever its JSON type. */
function fieldText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * After an ambiguous launch failure: the job this launch created, if any. It is a job of this
 * template, created by this user since the preflight (by the controller's clock), whose
 * launch fields and extra variables are the ones sent.
 */
async function findLaunchedJob(options: LaunchOptions): Promise<HttpResponse | undefined> {
  const { http, template, kind, body, unprompted, serverTime, logger } = options;
  const me = await http.get<Page<{ id: number }>>('me/');
  const user = me.data.results[0]?.id;
  const jobs = template.related[jobsCollection(kind)] ?? `${template.url}${jobsCollection(kind)}/`;
  // The Date header is truncated to the second, so it is never later than the launch.
  const since = new Date(serverTime).toISOString();
  const list = await http.get<Page<Job>>(jobs, { query: { created__gte: since, created_by: user, order_by: '-id', page_size: 50 } });
  const dropped = new Set(unprompted.map((entry) => entry.field));
  const sentVars = dropped.has('extra_vars') ? {} : ((body.extra_vars ?? {}) as Record<string, unknown>);
  const candidates = list.data.results.filter((job) => {
    const fieldsMatch = COMPARED_FIELDS.every(
      (field) => dropped.has(field) || body[field] === undefined || fieldText(job[field]) === fieldText(body[field]),
    );
    let vars: Record<string, unknown> = {};
    try {
      vars = JSON.parse(job.extra_vars ?? '{}') as Record<string, unknown>;
    } catch {
      return false;
    }
    return fieldsMatch && Object.entries(sentVars).every(([name, value]) => JSON.stringify(vars[name]) === JSON.stringify(value));
  });
  const found = candidates[0];
  if (!found) return undefined;
  // Several only when the same launch was made twice within a second: ours is the newest.
  if (candidates.length > 1) {
    logger.warning(`Several jobs match this launch (${candidates.map((job) => job.id).join(', ')}); following the newest`);
  }
  logger.info(`The launch request failed, but it had created job ${found.id}`);
  return { status: 200, headers: new Headers(), url: http.url(jobs), data: found };
}
