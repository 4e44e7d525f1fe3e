/**
 * Launch fields and prompts (pure). AWX accepts any launch field but silently drops, into the
 * reply's `ignored_fields`, each one whose "Prompt on launch" (`ask_*_on_launch`) is off; extra
 * variables also pass when the template's survey asks for them. These functions build the launch
 * body and tell, from the launch endpoint's preflight, what AWX would drop or still needs.
 */

export type TemplateKind = 'job' | 'workflow';

/** What a launch of `kind` creates: `job` or `workflow job`. */
export function jobLabel(kind: TemplateKind): string {
  return kind === 'job' ? 'job' : 'workflow job';
}

/** The API collection of the jobs a launch of `kind` creates. */
export function jobsCollection(kind: TemplateKind): 'jobs' | 'workflow_jobs' {
  return kind === 'job' ? 'jobs' : 'workflow_jobs';
}

/** What the user asked to launch with (unset fields are not sent). */
export interface LaunchRequest {
  extraVars: Record<string, unknown>;
  limit?: string;
  /** Inventory id (a name is resolved to its id before launching). */
  inventory?: number;
  jobTags?: string;
  skipTags?: string;
  scmBranch?: string;
  jobType?: 'run' | 'check';
  verbosity?: number;
}

/** The fields of `GET …/launch/` this action reads. */
export interface LaunchInfo {
  can_start_without_user_input?: boolean;
  survey_enabled?: boolean;
  ask_variables_on_launch?: boolean;
  variables_needed_to_start?: string[];
  passwords_needed_to_start?: string[];
  credential_needed_to_start?: boolean;
  inventory_needed_to_start?: boolean;
  [flag: `ask_${string}_on_launch`]: boolean | undefined;
}

/** Each launch field, the input it comes from and the prompt flag that lets it through. */
const FIELDS: Array<{ field: string; input: string; flag: string; workflow: boolean }> = [
  { field: 'limit', input: 'limit', flag: 'ask_limit_on_launch', workflow: true },
  { field: 'inventory', input: 'inventory', flag: 'ask_inventory_on_launch', workflow: true },
  { field: 'job_tags', input: 'job-tags', flag: 'ask_tags_on_launch', workflow: true },
  { field: 'skip_tags', input: 'skip-tags', flag: 'ask_skip_tags_on_launch', workflow: true },
  { field: 'scm_branch', input: 'scm-branch', flag: 'ask_scm_branch_on_launch', workflow: true },
  { field: 'job_type', input: 'job-type', flag: 'ask_job_type_on_launch', workflow: false },
  { field: 'verbosity', input: 'verbosity', flag: 'ask_verbosity_on_launch', workflow: false },
];

/** Inputs that only a job template accepts. */
export const JOB_ONLY_INPUTS = FIELDS.filter((entry) => !entry.workflow).map((entry) => entry.input);

/** The JSON body of the launch POST. */
export function launchBody(request: LaunchRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (Object.keys(request.extraVars).length > 0) body.extra_vars = request.extraVars;
  const values: Record<string, unknown> = {
    limit: request.limit,
    inventory: request.inventory,
    job_tags: request.jobTags,
    skip_tags: request.skipTags,
    scm_branch: request.scmBranch,
    job_type: request.jobType,
    verbosity: request.verbosity,
  };
  for (const { field } of FIELDS) if (values[field] !== undefined) body[field] = values[field];
  return body;
}

/** One field AWX would drop, and why. */
export interface Unprompted {
  field: string;
  input: string;
  /** Extra variables: the names that would be dropped. */
  variables?: string[];
}

/**
 * The fields of `body` that AWX would ignore. `surveyVariables` are the variables the template's
 * survey asks for (needed only when the survey is on and "Prompt on launch" for variables is off).
 */
export function unpromptedFields(info: LaunchInfo, body: Record<string, unknown>, surveyVariables: readonly string[] = []): Unprompted[] {
  const result: Unprompted[] = [];
  const extraVars = (body.extra_vars ?? {}) as Record<string, unknown>;
  if (!info.ask_variables_on_launch) {
    const allowed = new Set(info.survey_enabled ? surveyVariables : []);
    const dropped = Object.keys(extraVars).filter((name) => !allowed.has(name));
    if (dropped.length > 0) result.push({ field: 'extra_vars', input: 'extra-vars', variables: dropped });
  }
  for (const { field, input, flag } of FIELDS) {
    if (body[field] !== undefined && !info[flag as `ask_${string}_on_launch`]) result.push({ field, input, variables: undefined });
  }
  return result;
}

/** What the template needs at launch that `body` does not give (empty when it can start). */
export function missingAtLaunch(info: LaunchInfo, body: Record<string, unknown>): string[] {
  const given = new Set(Object.keys(body.extra_vars ?? {}));
  const problems: string[] = [];
  const variables = (info.variables_needed_to_start ?? []).filter((name) => !given.has(name));
  if (variables.length > 0) problems.push(`survey variables ${variables.map((name) => `'${name}'`).join(', ')} (add them to 'extra-vars')`);
  if (info.passwords_needed_to_start?.length) {
    problems.push(
      `passwords ${info.passwords_needed_to_start.join(', ')} (this action does not send credential passwords; store them in the credential)`,
    );
  }
  if (info.credential_needed_to_start) problems.push('a credential (give the template one)');
  if (info.inventory_needed_to_start && body.inventory === undefined) problems.push("an inventory (set 'inventory')");
  return problems;
}

/** A one-line account of fields AWX dropped or would drop: `extra_vars (image_tag, env), limit`. */
export function describeFields(fields: readonly Unprompted[]): string {
  return fields.map((entry) => (entry.variables ? `${entry.field} (${entry.variables.join(', ')})` : entry.field)).join(', ');
}

/** The `ignored_fields` of a launch reply, in the same shape as `unpromptedFields`. */
export function ignoredFromReply(ignored: Record<string, unknown> | undefined): Unprompted[] {
  return Object.entries(ignored ?? {}).map(([field, value]) => ({
    field,
    input: FIELDS.find((entry) => entry.field === field)?.input ?? (field === 'extra_vars' ? 'extra-vars' : field),
    variables: field === 'extra_vars' && value && typeof value === 'object' ? Object.keys(value) : undefined,
  }));
}
