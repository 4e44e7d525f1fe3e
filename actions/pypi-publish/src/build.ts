/**
 * The optional build step. `planBuild` decides, from what the project holds, which tool to run and
 * with which arguments (pure, unit-tested); `runBuild` runs it as an argument array in the project
 * and turns a missing tool into an error that says how to install it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommandNotFoundError, ConfigurationError, execCapture, inputError, type Logger } from '@conveyor/core';

export const BUILD_MODES = ['auto', 'poetry', 'build', 'none'] as const;
export type BuildMode = (typeof BUILD_MODES)[number];

export interface ProjectFacts {
  /** Distributions already in packages-dir. */
  distributions: string[];
  /** pyproject.toml's text, if the project has one. */
  pyproject?: string;
  hasSetupScript: boolean;
}

export type BuildPlan = { tool: 'none'; reason: string } | { tool: 'poetry' | 'build'; command: string; args: string[]; reason: string };

/** The inputs that decide the build (a part of `Inputs`). */
export interface BuildSettings {
  build: BuildMode;
  /** The Python interpreter that runs `-m build`. */
  python: string;
  /** Absolute path of the project root. */
  workingDirectory: string;
  /** Absolute path of packages-dir. */
  packagesDir: string;
  /** false adds --no-isolation (build requirements come from the current environment, no download). */
  buildIsolation: boolean;
}

/** Distribution files (wheels and .tar.gz sdists) in `dir`, sdists first, or [] if it does not exist. */
export function listDistributions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.whl') || name.endsWith('.tar.gz'));
  return files.sort((a, b) => Number(a.endsWith('.whl')) - Number(b.endsWith('.whl')) || a.localeCompare(b));
}

export function inspectProject(workingDirectory: string, packagesDir: string): ProjectFacts {
  const pyprojectPath = join(workingDirectory, 'pyproject.toml');
  return {
    distributions: listDistributions(packagesDir),
    pyproject: existsSync(pyprojectPath) ? readFileSync(pyprojectPath, 'utf8') : undefined,
    hasSetupScript: existsSync(join(workingDirectory, 'setup.py')) || existsSync(join(workingDirectory, 'setup.cfg')),
  };
}

/** A Poetry project: a [tool.poetry] table or the poetry-core build backend. */
export function isPoetryProject(pyproject: string | undefined): boolean {
  return !!pyproject && (/^\[tool\.poetry\]/m.test(pyproject) || /build-backend\s*=\s*["']poetry\.core\.masonry\.api["']/.test(pyproject));
}

export function planBuild(facts: ProjectFacts, settings: BuildSettings): BuildPlan {
  let tool: BuildMode = settings.build;
  let reason = `build: ${settings.build}`;
  if (tool === 'auto') {
    if (facts.distributions.length > 0)
      return { tool: 'none', reason: `packages-dir already holds ${facts.distributions.length} distribution(s)` };
    if (isPoetryProject(facts.pyproject)) [tool, reason] = ['poetry', 'pyproject.toml is a Poetry project'];
    else if (facts.pyproject || facts.hasSetupScript)
      [tool, reason] = ['build', facts.pyproject ? 'pyproject.toml (PEP 517)' : 'setup.py / setup.cfg project'];
    else {
      throw inputError(
        'build',
        `packages-dir holds no distribution and ${settings.workingDirectory} has no pyproject.toml, setup.py or setup.cfg`,
        'Set working-directory to the project root, or build first and set packages-dir',
      );
    }
  }
  if (tool === 'none') return { tool: 'none', reason };
  if (tool === 'poetry') {
    // Poetry 1.x has no output option: it always writes to <project>/dist.
    if (resolve(settings.packagesDir) !== resolve(settings.workingDirectory, 'dist')) {
      throw inputError(
        'packages-dir',
        'Poetry always builds into dist/ under working-directory',
        "Set packages-dir to 'dist', or use build: build",
      );
    }
    return { tool, command: 'poetry', args: ['build', '--no-interaction'], reason };
  }
  const args = [
    '-m',
    'build',
    '--outdir',
    settings.packagesDir,
    ...(settings.buildIsolation ? [] : ['--no-isolation']),
    settings.workingDirectory,
  ];
  return { tool: 'build', command: settings.python, args, reason };
}

/** Runs the plan; a missing tool is a ConfigurationError that says how to install it. */
export async function runBuild(plan: BuildPlan, options: { cwd: string; logger: Logger; signal?: AbortSignal }): Promise<void> {
  if (plan.tool === 'none') return;
  const install =
    plan.tool === 'poetry'
      ? "Install it first (pipx install poetry, or pip install poetry), or set build: build to use 'python -m build'"
      : `Install it first (${plan.command} -m pip install build), or set the 'python' input to an interpreter that has it`;
  let result;
  try {
    result = await execCapture(plan.command, plan.args, { cwd: options.cwd, logger: options.logger, signal: options.signal });
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof CommandNotFoundError) {
      const what = plan.tool === 'poetry' ? 'Poetry' : `The Python interpreter '${plan.command}'`;
      throw new ConfigurationError(
        `${what} is not installed (not found on PATH). ${plan.tool === 'poetry' ? install : "Use actions/setup-python, or set the 'python' input"}`,
      );
    }
    throw error;
  }
  if (result.exitCode === 0) return;
  if (plan.tool === 'build' && /No module named build\b/.test(result.stderr)) {
    throw new ConfigurationError(`The 'build' package is not installed for ${plan.command}. ${install}`);
  }
  const lastLine = result.stderr.trim().split('\n').pop() ?? '';
  throw new Error(`${plan.command} ${plan.args.join(' ')} failed with exit code ${result.exitCode}${lastLine ? `: ${lastLine}` : ''}`);
}
