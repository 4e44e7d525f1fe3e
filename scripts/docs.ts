// Generates the inputs and outputs tables of each action's README from its action.yml, between the
// markers <!-- inputs --> … <!-- /inputs --> and <!-- outputs --> … <!-- /outputs -->.
// `npm run docs` rewrites the READMEs; `npm run docs -- --check` fails if one is out of date.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

interface ActionMetadata {
  inputs?: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const cell = (text: string) =>
  text
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

/** Said above every inputs table: what users may rely on. */
const CONTRACT =
  "These inputs and outputs (generated from [action.yml](action.yml)) and this README are the action's public contract: " +
  'a renamed input or output, or a changed default, is a new major version.';

export function renderTables(metadata: ActionMetadata): { inputs: string; outputs: string } {
  const inputs = Object.entries(metadata.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${spec.default === undefined || spec.default === '' ? '' : `\`${cell(String(spec.default))}\``} | ${cell(spec.description ?? '')} |`,
  );
  const outputs = Object.entries(metadata.outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`);
  return {
    inputs: [CONTRACT, '', '| input | required | default | description |', '|---|---|---|---|', ...inputs].join('\n'),
    outputs: ['| output | description |', '|---|---|', ...outputs].join('\n'),
  };
}

/** The README with both marked regions replaced by tables generated from `metadata`. */
export function renderReadme(readme: string, metadata: ActionMetadata): string {
  const tables = renderTables(metadata);
  let result = readme;
  for (const region of ['inputs', 'outputs'] as const) {
    const pattern = new RegExp(`<!-- ${region} -->[\\s\\S]*?<!-- /${region} -->`);
    if (!pattern.test(result)) throw new Error(`README has no <!-- ${region} --> … <!-- /${region} --> region`);
    result = result.replace(pattern, `<!-- ${region} -->\n${tables[region]}\n<!-- /${region} -->`);
  }
  return result;
}

/** Every action's README: its current text, and the text it should have (or why it cannot be made). */
export function actionReadmes(): Array<{ name: string; path: string; current: string; generated: string }> {
  const actionsDir = join(repoRoot, 'actions');
  return readdirSync(actionsDir)
    .filter((name) => existsSync(join(actionsDir, name, 'action.yml')))
    .sort()
    .map((name) => {
      const path = join(actionsDir, name, 'README.md');
      const metadata = yaml.load(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) as ActionMetadata;
      const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
      try {
        return { name, path, current, generated: renderReadme(current, metadata) };
      } catch (error) {
        // One README without the marked regions must not hide the state of the others.
        return { name, path, current, generated: `actions/${name}/README.md: ${(error as Error).message}` };
      }
    });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const stale = actionReadmes().filter(({ current, generated }) => current !== generated);
  if (check) {
    for (const { name } of stale)
      console.error(`actions/${name}/README.md: the inputs/outputs tables differ from action.yml; run npm run docs`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const { path, generated } of stale) writeFileSync(path, generated);
  console.log(`${stale.length} README(s) updated`);
}
