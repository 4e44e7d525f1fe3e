// getInputs() in-process, with INPUT_* set as the runner sets them (action.yml defaults, then with:).
import { jest } from '@jest/globals';
import { getInputs, type Inputs } from '../../actions/trigger-downstream/src/inputs';
import { AUTO_POLL } from '../../actions/trigger-downstream/src/parse';
import { withInputs } from '../kit/inputs';
import { DEFAULT_CONTEXT } from '../kit/runner';

const read = (inputs: Record<string, string>): Inputs => withInputs('actions/trigger-downstream', inputs, getInputs);

/** What the step printed (the runner's masker commands among it), kept off the test log. */
let printed: string[];
beforeEach(() => {
  printed = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/** The values registered with the runner's masker. */
function masked(): string[] {
  return printed
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}

test("action.yml's defaults: this repository, the job's token, wait up to 1 h, auto polling, cancel on timeout", () => {
  expect(read({ workflow: 'build.yml' })).toEqual({
    target: { owner: 'octo-org', repo: 'octo-repo' },
    trigger: { kind: 'workflow', workflow: { kind: 'file', file: 'build.yml' }, ref: undefined, inputs: {} },
    token: DEFAULT_CONTEXT.token,
    wait: true,
    timeoutMs: 3_600_000,
    schedule: AUTO_POLL,
    cancelOnTimeout: true,
  });
});

test('a workflow_dispatch with every input set', () => {
  const inputs = read({
    repository: 'xchem/fragalysis-stack',
    workflow: 'Build stack',
    ref: 'v1.2',
    inputs: 'image_tag: 2.1.0\npush: true',
    token: 'ghp_other',
    wait: 'false',
    timeout: '90',
    'poll-interval': '20s',
    'cancel-on-timeout': 'False',
  });
  expect(inputs).toEqual({
    target: { owner: 'xchem', repo: 'fragalysis-stack' },
    trigger: {
      kind: 'workflow',
      workflow: { kind: 'name', name: 'Build stack' },
      ref: 'v1.2',
      inputs: { image_tag: '2.1.0', push: 'true' },
    },
    token: 'ghp_other',
    wait: false,
    timeoutMs: 90_000,
    schedule: { firstMs: 20_000, maxMs: 20_000 },
    cancelOnTimeout: false,
  });
});

test('a repository_dispatch with its payload', () => {
  expect(read({ 'event-type': 'frontend-built', 'client-payload': '{"tag": "3.4.5", "nested": {"a": 1}}' }).trigger).toEqual({
    kind: 'repository',
    eventType: 'frontend-built',
    clientPayload: { tag: '3.4.5', nested: { a: 1 } },
  });
});

test.each([
  [{ workflow: 'build.yml', 'event-type': 'go' }, "Input 'event-type': cannot be set together with 'workflow'. Set exactly one of them"],
  [
    {},
    "Input 'workflow': is required (or 'event-type'). Give the workflow file name, display name or id, or a repository_dispatch event type",
  ],
  [
    { workflow: 'build.yml', repository: 'xchem' },
    "Input 'repository': 'xchem' is not in owner/repo form. Give it like xchem/fragalysis-stack",
  ],
  [
    { 'event-type': 'go', ref: 'main' },
    "Input 'ref': applies to workflow_dispatch only. repository_dispatch always runs on the default branch",
  ],
  [{ workflow: 'build.yml', 'cancel-on-timeout': 'no' }, "Input 'cancel-on-timeout': 'no' is not a boolean. Use true or false"],
  [{ workflow: 'build.yml', timeout: '0s' }, "Input 'timeout': must be more than 0. Give a duration such as '1h' or '30m'"],
  [{ workflow: 'build.yml', token: ' ' }, "Input 'token': is empty. Pass a token, e.g. ${{ secrets.STACK_DISPATCH_TOKEN }}"],
])('%j is refused: %s', (inputs, message) => {
  expect(() => read(inputs)).toThrow(message);
});

test('the token is masked before any other input is checked', () => {
  expect(() => read({ token: 'ghs_maskedEarly0123', repository: 'not a repo' })).toThrow("Input 'repository'");
  expect(masked()).toContain('ghs_maskedEarly0123');
});
