/**
 * Pure parsers for trigger-downstream's inputs, with GitHub's limits: checked here so a bad value
 * fails before any request instead of as a 422 after the workflow lookup.
 */
import { inputError, parseDuration } from '@conveyor/core';

/** The input (or payload key) that carries the correlation id; the action owns it. */
export const DISTINCT_ID = 'distinct_id';
/** workflow_dispatch: at most 25 inputs, 65,535 characters in all (GitHub docs). */
export const MAX_WORKFLOW_INPUTS = 25;
export const MAX_INPUTS_LENGTH = 65_535;
/** repository_dispatch: at most 10 top-level payload keys, the JSON under 64 KB (REST docs). */
export const MAX_PAYLOAD_KEYS = 10;
export const MAX_PAYLOAD_BYTES = 65_536;
/** A correlation id is a UUID: 36 characters. */
const DISTINCT_ID_LENGTH = 36;

export type WorkflowReference = { kind: 'id'; id: number } | { kind: 'file'; file: string } | { kind: 'name'; name: string };

/** `123` → id, `build.yml` or `.github/workflows/build.yml` → file, anything else → display name. */
export function parseWorkflowReference(raw: string): WorkflowReference {
  const value = raw.trim();
  if (/^\d+$/.test(value)) return { kind: 'id', id: Number(value) };
  if (/\.ya?ml$/i.test(value)) {
    const file = value.replace(/^\.?\/?\.github\/workflows\//, '');
    if (file.includes('/')) {
      throw inputError(
        'workflow',
        `'${value}' is not in .github/workflows`,
        "Give the workflow's file name (build.yml), display name or id",
      );
    }
    return { kind: 'file', file };
  }
  return { kind: 'name', name: value };
}

/** `with id 42`, `file 'build.yml'`, `named 'Build stack'`. */
export function describeReference(reference: WorkflowReference): string {
  if (reference.kind === 'id') return `with id ${reference.id}`;
  if (reference.kind === 'file') return `file '${reference.file}'`;
  return `named '${reference.name}'`;
}

function reserved(name: string, map: Record<string, unknown>): void {
  if (DISTINCT_ID in map) {
    throw inputError(
      name,
      `'${DISTINCT_ID}' is set by the action`,
      'Remove it: the action sends a fresh correlation id with every dispatch',
    );
  }
}

/** Workflow inputs as GitHub takes them: flat, every value a string. */
export function parseWorkflowInputs(map: Record<string, unknown>): Record<string, string> {
  reserved('inputs', map);
  const entries = Object.entries(map);
  if (entries.length > MAX_WORKFLOW_INPUTS) {
    throw inputError('inputs', `has ${entries.length} keys`, `GitHub accepts at most ${MAX_WORKFLOW_INPUTS} workflow inputs`);
  }
  const inputs: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value !== null && typeof value === 'object') {
      throw inputError(
        'inputs',
        `'${key}' is a ${Array.isArray(value) ? 'list' : 'mapping'}`,
        'Workflow inputs are strings: quote it, or pass JSON text',
      );
    }
    // Past that check, YAML's core schema leaves a scalar: a string, number or boolean, or null.
    const scalar = value as string | number | boolean | null | undefined;
    inputs[key] = scalar === null || scalar === undefined ? '' : String(scalar);
  }
  const length = JSON.stringify(inputs).length;
  if (length > MAX_INPUTS_LENGTH) {
    throw inputError('inputs', `is ${length} characters long`, `GitHub accepts at most ${MAX_INPUTS_LENGTH} characters of inputs`);
  }
  return inputs;
}

/** A repository_dispatch payload, leaving room for the correlation id within GitHub's limits. */
export function parseClientPayload(map: Record<string, unknown>): Record<string, unknown> {
  reserved('client-payload', map);
  const keys = Object.keys(map).length;
  if (keys > MAX_PAYLOAD_KEYS - 1) {
    throw inputError(
      'client-payload',
      `has ${keys} top-level keys`,
      `GitHub allows ${MAX_PAYLOAD_KEYS} and the action adds '${DISTINCT_ID}': nest the rest under one key`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify({ ...map, [DISTINCT_ID]: 'x'.repeat(DISTINCT_ID_LENGTH) }));
  if (bytes >= MAX_PAYLOAD_BYTES) {
    throw inputError('client-payload', `is ${bytes} bytes as JSON`, `GitHub takes less than ${MAX_PAYLOAD_BYTES / 1024} KB`);
  }
  return map;
}

export function parseEventType(raw: string): string {
  const value = raw.trim();
  if (value.length > 100) throw inputError('event-type', `is ${value.length} characters long`, 'GitHub takes 1 to 100 characters');
  return value;
}

export interface PollSchedule {
  firstMs: number;
  maxMs: number;
}

/**
 * 5 s growing ×1.5 to 12 s by default. An unchanged run answers 304, which GitHub does not count
 * against the rate limit, so checking often is nearly free; the cap bounds how late the end is
 * noticed: one interval plus two round trips (the check, the jobs list), 12.7 s at worst (the bench).
 */
export const AUTO_POLL: PollSchedule = { firstMs: 5_000, maxMs: 12_000 };

/** `auto`, or a first interval of at least one second (growing to 12 s, or staying if longer). */
export function parsePollInterval(raw: string): PollSchedule {
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'auto') return AUTO_POLL;
  const firstMs = parseDuration('poll-interval', value);
  if (firstMs < 1000) throw inputError('poll-interval', `'${value}' is shorter than 1 s`, "Use 'auto' or a duration such as '10s'");
  return { firstMs, maxMs: Math.max(firstMs, AUTO_POLL.maxMs) };
}
