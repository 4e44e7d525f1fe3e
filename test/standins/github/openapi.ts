/**
 * Conformance against GitHub's own REST description (`@octokit/openapi`, written by GitHub, not by
 * us): every request the stand-in receives and every reply it sends is checked against the matching
 * operation. The description is loaded once per process; only the schemas an operation uses are
 * compiled, on first use. OpenAPI 3.0's `nullable` is rewritten as `anyOf [schema, null]` for Ajv.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const SPEC_ID = 'https://conveyor.invalid/api.github.com.json';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  id: string;
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  parameters: Parameter[];
  requestSchema?: Json;
  requestContentTypes: string[];
  responses: Record<string, { schema?: Json; hasContent: boolean }>;
}

export interface Violation {
  operation: string;
  direction: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  problem: string;
}

/** Rewrites the description for Ajv: `nullable` → anyOf with null, refs → absolute, OpenAPI-only keys dropped. */
function prepare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepare);
  if (!node || typeof node !== 'object') return node;
  const result: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) result[key] = `${SPEC_ID}${value}`;
    else if (key === 'example' || key === 'examples' || key === 'discriminator' || key === 'xml') continue;
    else result[key] = prepare(value);
  }
  if (result.nullable === true) {
    delete result.nullable;
    const description = result.description;
    delete result.description;
    return { description, anyOf: [result, { type: 'null' }] };
  }
  delete result.nullable;
  return result;
}

function templatePattern(template: string): { pattern: RegExp; literalSegments: number } {
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (/^\{[^}]+\}$/.test(segment)) return '([^/]+)';
      if (segment.includes('{')) return segment.replace(/\{[^}]+\}/g, '([^/]+)');
      literalSegments++;
      return segment.replace(/[.+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), literalSegments };
}

/** `{ref}` in git ref paths spans slashes (`tags/v1.0`), as GitHub allows. */
const MULTI_SEGMENT_PARAMS = new Set(['ref', 'tag', 'path']);

export class OpenApiValidator {
  private static instance?: OpenApiValidator;
  private readonly ajv: Ajv;
  private readonly coercing: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<object, ValidateFunction>();
  private readonly compiledCoercing = new Map<object, ValidateFunction>();

  /** The validator for api.github.com, built once per process. */
  static shared(): OpenApiValidator {
    OpenApiValidator.instance ??= new OpenApiValidator();
    return OpenApiValidator.instance;
  }

  private constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    const spec = prepare(JSON.parse(readFileSync(file, 'utf8'))) as Json;
    const options = { strict: false, allErrors: true, validateSchema: false, addUsedSchema: false } as const;
    this.ajv = new Ajv(options);
    this.coercing = new Ajv({ ...options, coerceTypes: true });
    for (const ajv of [this.ajv, this.coercing]) {
      addFormats(ajv);
      ajv.addFormat('uri-template', true);
      ajv.addFormat('int64', true);
      ajv.addFormat('binary', true);
      ajv.addSchema({ $id: SPEC_ID, components: spec.components }, SPEC_ID);
    }
    const components = spec.components as Json;
    const resolve = <T>(value: unknown): T => {
      let current = value as Json;
      while (current && typeof current.$ref === 'string') {
        const path = current.$ref.slice(SPEC_ID.length + 2).split('/');
        current = path.slice(1).reduce<Json>((node, key) => node[key] as Json, components);
      }
      return current as T;
    };
    for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
      const shared = ((item.parameters as unknown[]) ?? []).map((p) => resolve<Parameter>(p));
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue;
        const op = raw as Json;
        const parameters = [...shared, ...((op.parameters as unknown[]) ?? []).map((p) => resolve<Parameter>(p))];
        const body = resolve<Json | undefined>(op.requestBody);
        const content = (body?.content ?? {}) as Record<string, Json>;
        const responses: Operation['responses'] = {};
        for (const [status, response] of Object.entries((op.responses ?? {}) as Json)) {
          const resolved = resolve<Json>(response);
          const json = (resolved.content as Record<string, Json> | undefined)?.['application/json'];
          responses[status] = { schema: json?.schema as Json | undefined, hasContent: resolved.content !== undefined };
        }
        this.operations.push({
          id: op.operationId as string,
          method: method.toUpperCase(),
          template,
          ...templatePattern(template),
          parameters,
          requestSchema: content['application/json']?.schema as Json | undefined,
          requestContentTypes: Object.keys(content),
          responses,
        });
      }
    }
    // Most specific first: more literal segments win (`/actions/runs/{id}/jobs` over `/{a}/{b}/jobs`).
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The operation GitHub serves for `method path`, with its path parameters. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    for (const lenient of [false, true]) {
      for (const operation of this.operations) {
        if (operation.method !== method) continue;
        const pattern = lenient ? this.lenientPattern(operation) : operation.pattern;
        if (!pattern) continue;
        const found = pattern.exec(path);
        if (!found) continue;
        const names = [...operation.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
        return { operation, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] as string)])) };
      }
    }
    return undefined;
  }

  private lenientPattern(operation: Operation): RegExp | undefined {
    const last = /\{([^}]+)\}$/.exec(operation.template)?.[1];
    if (!last || !MULTI_SEGMENT_PARAMS.has(last)) return undefined;
    const source = operation.pattern.source.replace(/\(\[\^\/\]\+\)\$$/, '(.+)$');
    return new RegExp(source);
  }

  /** A compiled schema; `coerce` (for path and query strings) validates `{ value }` with type coercion. */
  private validator(schema: object, coerce = false): ValidateFunction {
    const cache = coerce ? this.compiledCoercing : this.compiled;
    let validate = cache.get(schema);
    if (!validate) {
      // A string parameter may match several branches once coerced (`workflow_id`: integer or file name).
      const lenient = coerce && 'oneOf' in schema ? { anyOf: schema.oneOf } : schema;
      validate = coerce ? this.coercing.compile({ properties: { value: lenient } }) : this.ajv.compile(schema);
      cache.set(schema, validate);
    }
    return validate;
  }

  private problems(validate: ValidateFunction, value: unknown, label: string): string[] {
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 8).map((error) => `${label}${error.instancePath} ${error.message ?? 'is invalid'}`);
  }

  /** Problems with a request: unknown operation, bad path/query parameters, a body off the schema. */
  checkRequest(request: { method: string; path: string; query: URLSearchParams; contentType?: string; body: Buffer }): Violation[] {
    const found = this.match(request.method, request.path);
    const violation = (problem: string, operation = 'unknown'): Violation => ({
      operation,
      direction: 'request',
      method: request.method,
      path: request.path,
      problem,
    });
    if (!found) return [violation(`GitHub has no operation ${request.method} ${request.path}`)];
    const { operation, params } = found;
    const problems: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.in === 'header' || parameter.in === 'cookie') continue;
      const raw = parameter.in === 'path' ? params[parameter.name] : (request.query.get(parameter.name) ?? undefined);
      if (raw === undefined) {
        if (parameter.required) problems.push(`${parameter.in} parameter '${parameter.name}' is required`);
        continue;
      }
      if (parameter.schema) {
        // GitHub's search qualifiers (`created=>=2026-01-01`, `a..b`) wrap the declared date-time.
        const qualified = parameter.in === 'query' && /search syntax/i.test(String((parameter as { description?: string }).description));
        const values = qualified
          ? raw
              .replace(/^(>=|<=|>|<)/, '')
              .split('..')
              .filter((part) => part !== '*')
          : [raw];
        for (const value of values)
          problems.push(...this.problems(this.validator(parameter.schema, true), { value }, `${parameter.name}=${raw}:`));
      }
    }
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of request.query.keys()) if (!declared.has(name)) problems.push(`query parameter '${name}' is not defined`);
    if (operation.requestSchema) {
      if (!(request.contentType ?? '').includes('json')) problems.push(`content-type ${request.contentType ?? '(none)'} is not JSON`);
      let body: unknown;
      try {
        body = JSON.parse(request.body.toString('utf8') || 'null');
      } catch {
        problems.push('body is not JSON');
      }
      if (body !== undefined) problems.push(...this.problems(this.validator(operation.requestSchema), body, 'body'));
    } else if (request.body.length > 0 && operation.requestContentTypes.length === 0) {
      problems.push('the operation takes no body');
    }
    return problems.map((problem) => violation(problem, operation.id));
  }

  /** Problems with a reply: a status GitHub does not declare, or a body off the declared schema. */
  checkResponse(request: { method: string; path: string }, status: number, body: Buffer | string | undefined): Violation[] {
    const found = this.match(request.method, request.path);
    if (!found) return [];
    const { operation } = found;
    const violation = (problem: string): Violation => ({
      operation: operation.id,
      direction: 'response',
      method: request.method,
      path: request.path,
      status,
      problem,
    });
    const text = body === undefined ? '' : body.toString();
    if (status === 304) return text ? [violation('a 304 reply has a body')] : [];
    const declared = operation.responses[String(status)] ?? operation.responses.default;
    if (!declared) {
      // GitHub answers any operation with 401/403/404/5xx errors it does not always declare.
      if (status < 400) return [violation(`status ${status} is not declared`)];
      return this.checkJson(text, this.basicError, violation);
    }
    if (!declared.hasContent) {
      if (!text) return [];
      // GitHub's error replies carry a message even where the description declares no content.
      return status >= 400
        ? this.checkJson(text, this.basicError, violation)
        : [violation(`status ${status} declares no body, but one was sent`)];
    }
    return this.checkJson(text, declared.schema ?? this.basicError, violation);
  }

  private readonly basicError: Json = { $ref: `${SPEC_ID}#/components/schemas/basic-error` };

  private checkJson(text: string, schema: Json, violation: (problem: string) => Violation): Violation[] {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return [violation('body is not JSON')];
    }
    return this.problems(this.validator(schema), value, 'body').map(violation);
  }
}
