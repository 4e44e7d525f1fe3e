/** Running the pypi-publish bundle against a PyPI stand-in, and what a reader of its log could see. */
import { runBundle, type BundleOptions, type RunResult } from '../kit/runner';
import type { PyPIStandIn } from '../standins/pypi/server';
import { SYSTEM_PYTHON } from './fixtures';

export const TOKEN = 'pypi-AgEIcHlwaS5vcmcCJGUyZTMtdGVzdC10b2tlbi12YWx1ZQ';

/** The raw log without the mask registrations themselves. */
export function printed(result: RunResult): string {
  return result.rawLog
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Runs the action against `index` with Debian's Python and no build isolation (nothing to download). */
export function publish(index: PyPIStandIn, inputs: BundleOptions['inputs'], options: Partial<BundleOptions> = {}): Promise<RunResult> {
  return runBundle({
    action: 'actions/pypi-publish',
    ...options,
    // Poetry's build environment goes into the (temporary) project, not the user's cache.
    env: { POETRY_VIRTUALENVS_IN_PROJECT: 'true', ...options.env },
    inputs: {
      'repository-url': `${index.url}/legacy/`,
      password: TOKEN,
      python: SYSTEM_PYTHON,
      'build-isolation': false,
      ...inputs,
    },
  });
}

export const uploadRequests = (index: PyPIStandIn) => index.requests('POST', /^\/legacy\/?$/).length;
