/** @conveyor/core: the shared library of the Conveyor actions. */
export * from './cancel';
export * from './errors';
export * from './exec';
export * from './format';
// Octokit is a subpath (`@conveyor/core/github`), imported where GitHub is called: only its types here.
export type { GitHubClient, GitHubClientOptions } from './github';
export * from './http';
export * from './inputs';
export * from './log';
export * from './map-inputs';
export * from './poll';
export * from './retry';
export * from './run';
export * from './secrets';
export * from './summary';
export { getState, saveState } from './workflow-commands';
