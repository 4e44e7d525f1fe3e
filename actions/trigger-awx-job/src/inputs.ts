/**
 * trigger-awx-job's inputs: one typed object, every input validated before any request, the
 * credentials masked, and a warning when they would cross the network unprotected.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  getBoolean,
  getDuration,
  getEnum,
  getList,
  getMap,
  getString,
  inputError,
  maskSecret,
  parseInteger,
  type Logger,
} from '@conveyor/core';
import type { Auth, Connection } from './api';
import { JOB_ONLY_INPUTS, type LaunchRequest } from './prompts';
import type { TemplateRef } from './templates';

export interface Inputs extends Connection {
  template: TemplateRef;
  /** Inventory name or id, resolved to an id before launching. */
  inventory?: string;
  launch: Omit<LaunchRequest, 'inventory'>;
  onIgnoredFields: 'fail' | 'warn';
  wait: boolean;
  timeoutMs: number;
  streamOutput: boolean;
  cancelOnTimeout: boolean;
}

function optional(name: string): string | undefined {
  return getString(name) || undefined;
}

function getControllerUrl(): URL {
  const raw = getString('controller-url');
  const fix = 'Give the base URL of AWX or the Automation Platform, e.g. https://awx.example.com';
  if (!raw) throw inputError('controller-url', 'is required', fix);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw inputError('controller-url', 'is not a URL', fix);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw inputError('controller-url', `'${url.protocol}' is not http(s)`, fix);
  if (url.username || url.password)
    throw inputError('controller-url', 'must not contain credentials', "Use 'token' (or 'username' and 'password')");
  if (url.search || url.hash) throw inputError('controller-url', 'must not have a query or fragment', fix);
  return url;
}

function getAuth(): Auth {
  const token = getString('token');
  const username = getString('username');
  const password = getString('password');
  if (token) return { kind: 'token', token };
  if (username && password) return { kind: 'basic', username, password };
  if (username || password) {
    throw inputError(
      username ? 'password' : 'username',
      'is required with basic auth',
      "Set both 'username' and 'password', or use 'token'",
    );
  }
  throw inputError('token', 'is required (or username and password)', 'Create an OAuth2 token for the AWX user and pass it from a secret');
}

function getCaCert(): string | undefined {
  const raw = getString('ca-cert');
  if (!raw) return undefined;
  const pem = raw.includes('-----BEGIN') ? raw : existsSync(raw) ? readFileSync(raw, 'utf8') : undefined;
  const fix = 'Give the PEM text of the CA certificate (-----BEGIN CERTIFICATE-----…), or the path of a PEM file';
  if (!pem) throw inputError('ca-cert', 'is neither PEM text nor a readable file', fix);
  try {
    new X509Certificate(pem);
  } catch {
    throw inputError('ca-cert', 'does not hold a valid PEM certificate', fix);
  }
  return pem;
}

function getTemplate(): TemplateRef {
  const job = getString('job-template');
  const workflow = getString('workflow-template');
  if (job && workflow) throw inputError('workflow-template', "cannot be set together with 'job-template'", 'Set exactly one of them');
  if (!job && !workflow) throw inputError('job-template', "is required (or 'workflow-template')", 'Give the template name or numeric id');
  return { kind: job ? 'job' : 'workflow', nameOrId: job || workflow, organization: optional('organization') };
}

export function getInputs(logger: Logger): Inputs {
  const controllerUrl = getControllerUrl();
  const auth = getAuth();
  const template = getTemplate();
  if (template.kind === 'workflow') {
    const given = JOB_ONLY_INPUTS.filter((name) => getString(name));
    if (given[0]) throw inputError(given[0], 'applies to job templates only', 'Remove it, or launch a job template');
  }
  const verbosity = optional('verbosity');
  const jobTags = getList('job-tags');
  const skipTags = getList('skip-tags');
  const wait = getBoolean('wait', true);
  const timeoutMs = getDuration('timeout', 30 * 60_000);
  if (wait && timeoutMs <= 0) throw inputError('timeout', 'must be more than 0', "Give a duration such as '30m'");
  const tls = { caCert: getCaCert(), insecureSkipVerify: getBoolean('insecure-skip-tls-verify', false) };
  const inputs: Inputs = {
    controllerUrl,
    auth,
    tls,
    template,
    inventory: optional('inventory'),
    launch: {
      extraVars: getMap('extra-vars'),
      limit: optional('limit'),
      jobTags: jobTags.length > 0 ? jobTags.join(',') : undefined,
      skipTags: skipTags.length > 0 ? skipTags.join(',') : undefined,
      scmBranch: optional('scm-branch'),
      jobType: getString('job-type') ? getEnum('job-type', ['run', 'check'] as const) : undefined,
      verbosity: verbosity === undefined ? undefined : parseInteger('verbosity', verbosity, { min: 0, max: 5 }),
    },
    onIgnoredFields: getEnum('on-ignored-fields', ['fail', 'warn'] as const, 'fail'),
    wait,
    timeoutMs,
    streamOutput: getBoolean('stream-output', true),
    cancelOnTimeout: getBoolean('cancel-on-timeout', true),
  };
  if (auth.kind === 'token') maskSecret(auth.token);
  else maskSecret(auth.password, auth.username);
  if (tls.insecureSkipVerify) {
    logger.warning(
      "TLS certificate verification is off ('insecure-skip-tls-verify'): anyone on the path can read the credentials. Prefer 'ca-cert'",
    );
  }
  if (controllerUrl.protocol === 'http:') logger.warning('The controller URL is plain http: the credentials cross the network unencrypted');
  return inputs;
}
