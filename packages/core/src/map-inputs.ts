/**
 * Mapping inputs (YAML or JSON), apart from the other input parsers so that an action that reads no
 * mapping never loads a YAML parser: core has no side effects, so the bundler leaves this file out
 * (js-yaml costs a step ~4 MiB and a few milliseconds at start).
 */
import yaml from 'js-yaml';
import { inputError } from './errors';
import { getInput } from './workflow-commands';

/** A mapping given as YAML or JSON (JSON is YAML). Anything but a mapping is an error. */
export function parseMap(name: string, raw: string): Record<string, unknown> {
  const value = raw.trim();
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = yaml.load(value, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.reason : String(error);
    throw inputError(name, `is not valid YAML or JSON (${reason})`, 'Give a mapping such as \'key: value\' or {"key": "value"}');
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw inputError(name, 'is not a mapping', 'Give key/value pairs such as \'key: value\' or {"key": "value"}');
  }
  return parsed as Record<string, unknown>;
}

export function getMap(name: string): Record<string, unknown> {
  return parseMap(name, getInput(name));
}
