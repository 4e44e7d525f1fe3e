// Each action's code against its action.yml, the public contract: every input name the code reads is
// declared (and every declared input is read), every fallback in code equals the declared default,
// getInputs() succeeds with the defaults as the runner sets them, and the outputs are exactly the
// declared ones.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseBoolean, parseDuration, parseEnum, parseInteger, type ActionEntry } from '@conveyor/core';
import { withInputs } from '../kit/inputs';
import { recordingLogger } from '../kit/logger';
import { DEFAULT_CONTEXT, readActionMetadata, repoRoot } from '../kit/runner';

/** The least `with:` each action needs to read its inputs. */
const MINIMAL_INPUTS: Record<string, Record<string, string>> = {
  'docker-build-push': { images: 'localhost:5000/demo', context: 'test/fixtures/docker-app' },
  'pypi-publish': {},
  'trigger-downstream': { workflow: 'build.yml' },
  'trigger-awx-job': { 'controller-url': 'https://awx.example.com', 'job-template': 'Deploy', token: 'awx-token' },
  'promote-release-tag': { mode: 'candidate' },
};

/** What the runner sets besides inputs, as far as reading inputs needs it. */
const RUNNER_ENV: Record<string, string> = {
  GITHUB_SHA: DEFAULT_CONTEXT.sha,
  GITHUB_REF: DEFAULT_CONTEXT.ref,
  GITHUB_EVENT_NAME: DEFAULT_CONTEXT.eventName,
  GITHUB_REPOSITORY: DEFAULT_CONTEXT.repository,
  GITHUB_ACTOR: DEFAULT_CONTEXT.actor,
  // A job with `id-token: write` (trusted publishing is pypi-publish's default).
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
};

/** Core's input readers, with the position of their fallback argument (if they take one). */
const READERS: Record<string, number | undefined> = {
  getString: undefined,
  getRequired: undefined,
  getList: undefined,
  getMap: undefined,
  getInput: undefined,
  getBoolean: 1,
  getDuration: 1,
  getInteger: 2,
  getEnum: 2,
};

interface InputRead {
  name: string;
  reader: string;
  fallback?: string | number | boolean;
  where: string;
}

/** Every `getX('name', …)` call in an action's sources, with its fallback's literal value. */
function inputReads(action: string): InputRead[] {
  const dir = join(repoRoot, 'actions', action, 'src');
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
  const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const reads: InputRead[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = calleeName(node);
        const [first] = node.arguments;
        // The name is a literal, or a variable whose type is a union of literals (a loop over names).
        const nameType = first && checker.getTypeAtLocation(first);
        const names = nameType ? (nameType.isUnion() ? nameType.types : [nameType]).filter((type) => type.isStringLiteral()) : [];
        if ((Object.hasOwn(READERS, callee) || wrapsReader(node, checker)) && names.length > 0) {
          const position = READERS[callee];
          const fallbackNode = position === undefined ? undefined : node.arguments[position];
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          for (const name of names) {
            reads.push({
              name: name.value,
              reader: callee,
              fallback: fallbackNode && literalValue(checker.getTypeAtLocation(fallbackNode)),
              where: `${action}/src/${file.slice(dir.length + 1)}:${line + 1}`,
            });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return reads;
}

/** `getBoolean` for core's `getBoolean(…)`, `getInput` for @actions/core's `core.getInput(…)`. */
function calleeName(call: ts.CallExpression): string {
  return call.expression
    .getText()
    .replace(/\s+/g, '')
    .replace(/^core\./, '');
}

/** Whether `call` calls a local function that passes its first parameter to a core reader. */
function wrapsReader(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const declaration = checker.getSymbolAtLocation(call.expression)?.valueDeclaration;
  const fn =
    declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isArrowFunction(declaration.initializer)
      ? declaration.initializer
      : declaration && ts.isFunctionDeclaration(declaration)
        ? declaration
        : undefined;
  const parameter = fn?.parameters[0]?.name.getText();
  if (!fn || !parameter) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && Object.hasOwn(READERS, calleeName(node))) {
      found ||= node.arguments[0]?.getText() === parameter;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

function literalValue(type: ts.Type): string | number | boolean | undefined {
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as unknown as { intrinsicName: string }).intrinsicName === 'true';
  return undefined;
}

/** The declared default, read the way the code's reader reads it. */
function parsedDefault(read: InputRead, raw: string): string | number | boolean {
  switch (read.reader) {
    case 'getBoolean':
      return parseBoolean(read.name, raw);
    case 'getDuration':
      return parseDuration(read.name, raw);
    case 'getInteger':
      return parseInteger(read.name, raw);
    case 'getEnum':
      return parseEnum(read.name, raw, [String(read.fallback)]);
    default:
      return raw;
  }
}

const actions = Object.keys(MINIMAL_INPUTS);

test('every action has minimal inputs here', () => {
  expect(readdirSync(join(repoRoot, 'actions')).sort()).toEqual([...actions].sort());
});

describe.each(actions)('%s', (action) => {
  const metadata = readActionMetadata(`actions/${action}`);
  const declared = metadata.inputs ?? {};
  const reads = inputReads(action);

  test('every input read in code is declared, and every declared input is read', () => {
    const undeclared = reads.filter((read) => !(read.name in declared)).map((read) => `${read.name} (${read.where})`);
    expect(undeclared).toEqual([]);
    const unread = Object.keys(declared).filter((name) => !reads.some((read) => read.name === name));
    expect(unread).toEqual([]);
  });

  test('every fallback in code is the declared default', () => {
    const withFallback = reads.filter((read) => read.fallback !== undefined);
    const mismatched = withFallback
      .filter((read) => {
        const raw = declared[read.name]?.default;
        return raw === undefined || parsedDefault(read, raw) !== read.fallback;
      })
      .map((read) => `${read.name}: code ${String(read.fallback)}, action.yml ${String(declared[read.name]?.default)} (${read.where})`);
    expect(mismatched).toEqual([]);
  });

  test('getInputs() reads only declared inputs, and the outputs are exactly the declared ones', async () => {
    const { run } = (await import(`../../actions/${action}/src/main`)) as { run: ActionEntry<unknown, unknown, string> };
    const readNames = new Set<string>();
    const env = process.env;
    process.env = new Proxy(env, {
      get(target, key) {
        if (typeof key === 'string' && key.startsWith('INPUT_')) readNames.add(key);
        return target[key as string];
      },
    });
    let inputs: unknown;
    try {
      inputs = withInputs(`actions/${action}`, MINIMAL_INPUTS[action], () => run.definition.getInputs(recordingLogger()), {
        env: RUNNER_ENV,
      });
    } finally {
      process.env = env;
    }
    const declaredVariables = Object.keys(declared).map((name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`);
    expect([...readNames].filter((name) => !declaredVariables.includes(name))).toEqual([]);
    const outputs = run.definition.outputs(run.definition.newResult(inputs), inputs);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(metadata.outputs ?? {}).sort());
  });
});

test('the contract scan sees the reads it should', () => {
  // Guards the scanner itself: it must find literal fallbacks through constants too.
  const reads = inputReads('trigger-downstream');
  expect(reads.find((read) => read.name === 'timeout')).toMatchObject({ reader: 'getDuration', fallback: 3_600_000 });
  expect(reads.find((read) => read.name === 'wait')).toMatchObject({ reader: 'getBoolean', fallback: true });
  expect(readFileSync(join(repoRoot, 'actions/trigger-downstream/action.yml'), 'utf8')).toContain('timeout:');
});
