import { isPoetryProject, planBuild, type BuildSettings, type ProjectFacts } from '../../actions/pypi-publish/src/build';

const settings: BuildSettings = {
  build: 'auto',
  python: 'python3',
  workingDirectory: '/w/project',
  packagesDir: '/w/project/dist',
  buildIsolation: true,
};
const facts = (partial: Partial<ProjectFacts>): ProjectFacts => ({ distributions: [], hasSetupScript: false, ...partial });
const POETRY = '[tool.poetry]\nname = "x"\n';
const PEP621 = '[project]\nname = "x"\n[build-system]\nbuild-backend = "setuptools.build_meta"\n';

describe('planBuild', () => {
  test('auto builds nothing when packages-dir already holds distributions', () => {
    expect(planBuild(facts({ distributions: ['x-1.0.tar.gz'], pyproject: POETRY }), settings)).toEqual({
      tool: 'none',
      reason: 'packages-dir already holds 1 distribution(s)',
    });
  });

  test('auto picks Poetry for Poetry projects (either marker)', () => {
    expect(planBuild(facts({ pyproject: POETRY }), settings)).toEqual({
      tool: 'poetry',
      command: 'poetry',
      args: ['build', '--no-interaction'],
      reason: 'pyproject.toml is a Poetry project',
    });
    expect(isPoetryProject('[project]\nname="x"\n[build-system]\nbuild-backend = "poetry.core.masonry.api"\n')).toBe(true);
    expect(isPoetryProject(PEP621)).toBe(false);
    expect(isPoetryProject(undefined)).toBe(false);
  });

  test('auto picks python -m build for PEP 517 and legacy setup.py projects, isolation as asked', () => {
    expect(planBuild(facts({ pyproject: PEP621 }), settings)).toEqual({
      tool: 'build',
      command: 'python3',
      args: ['-m', 'build', '--outdir', '/w/project/dist', '/w/project'],
      reason: 'pyproject.toml (PEP 517)',
    });
    expect(planBuild(facts({ hasSetupScript: true }), { ...settings, buildIsolation: false, python: '/usr/bin/python3' })).toEqual({
      tool: 'build',
      command: '/usr/bin/python3',
      args: ['-m', 'build', '--outdir', '/w/project/dist', '--no-isolation', '/w/project'],
      reason: 'setup.py / setup.cfg project',
    });
  });

  test('auto with nothing to build is an input error', () => {
    expect(() => planBuild(facts({}), settings)).toThrow(
      "Input 'build': packages-dir holds no distribution and /w/project has no pyproject.toml, setup.py or setup.cfg. Set working-directory",
    );
  });

  test('forced modes ignore what is there', () => {
    expect(planBuild(facts({ distributions: ['x-1.0.tar.gz'] }), { ...settings, build: 'build' })).toMatchObject({ tool: 'build' });
    expect(planBuild(facts({ pyproject: POETRY }), { ...settings, build: 'none' })).toEqual({ tool: 'none', reason: 'build: none' });
    expect(planBuild(facts({}), { ...settings, build: 'poetry' })).toMatchObject({ tool: 'poetry', reason: 'build: poetry' });
  });

  test('Poetry with a packages-dir other than dist/ is refused (Poetry 1.x always writes there)', () => {
    expect(() => planBuild(facts({ pyproject: POETRY }), { ...settings, packagesDir: '/w/project/wheelhouse' })).toThrow(
      "Input 'packages-dir': Poetry always builds into dist/ under working-directory. Set packages-dir to 'dist', or use build: build",
    );
  });
});
