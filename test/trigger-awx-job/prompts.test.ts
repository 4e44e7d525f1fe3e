import {
  describeFields,
  ignoredFromReply,
  launchBody,
  missingAtLaunch,
  unpromptedFields,
  type LaunchInfo,
} from '../../actions/trigger-awx-job/src/prompts';

describe('launchBody', () => {
  test('sends only the fields that were given, extra vars as a mapping', () => {
    expect(launchBody({ extraVars: {} })).toEqual({});
    expect(
      launchBody({
        extraVars: { stack_image_tag: '1.0.3' },
        limit: 'web',
        inventory: 7,
        jobTags: 'deploy,migrate',
        skipTags: 'slow',
        scmBranch: 'main',
        jobType: 'check',
        verbosity: 0,
      }),
    ).toEqual({
      extra_vars: { stack_image_tag: '1.0.3' },
      limit: 'web',
      inventory: 7,
      job_tags: 'deploy,migrate',
      skip_tags: 'slow',
      scm_branch: 'main',
      job_type: 'check',
      verbosity: 0,
    });
  });
});

describe('unpromptedFields', () => {
  const none: LaunchInfo = { ask_variables_on_launch: false, survey_enabled: false };

  test('extra vars pass with "Prompt on launch" for variables', () => {
    expect(unpromptedFields({ ...none, ask_variables_on_launch: true }, { extra_vars: { a: 1 } })).toEqual([]);
  });

  test('without it every extra var is dropped', () => {
    expect(unpromptedFields(none, { extra_vars: { a: 1, b: 2 } })).toEqual([
      { field: 'extra_vars', input: 'extra-vars', variables: ['a', 'b'] },
    ]);
  });

  test('with a survey only the survey variables pass', () => {
    const info = { ...none, survey_enabled: true };
    expect(unpromptedFields(info, { extra_vars: { tag: '1', other: 2 } }, ['tag'])).toEqual([
      { field: 'extra_vars', input: 'extra-vars', variables: ['other'] },
    ]);
    expect(unpromptedFields(info, { extra_vars: { tag: '1' } }, ['tag'])).toEqual([]);
  });

  test('a survey that is off does not let its variables through', () => {
    expect(unpromptedFields(none, { extra_vars: { tag: '1' } }, ['tag'])).toHaveLength(1);
  });

  test.each([
    ['limit', 'ask_limit_on_launch', 'limit'],
    ['inventory', 'ask_inventory_on_launch', 'inventory'],
    ['job_tags', 'ask_tags_on_launch', 'job-tags'],
    ['skip_tags', 'ask_skip_tags_on_launch', 'skip-tags'],
    ['scm_branch', 'ask_scm_branch_on_launch', 'scm-branch'],
    ['job_type', 'ask_job_type_on_launch', 'job-type'],
    ['verbosity', 'ask_verbosity_on_launch', 'verbosity'],
  ])('%s needs %s', (field, flag, input) => {
    const value = field === 'verbosity' ? 0 : 'x';
    expect(unpromptedFields(none, { [field]: value })).toEqual([{ field, input, variables: undefined }]);
    expect(unpromptedFields({ ...none, [flag]: true }, { [field]: value })).toEqual([]);
  });

  test('fields not sent are never reported', () => {
    expect(unpromptedFields(none, {})).toEqual([]);
  });
});

describe('missingAtLaunch', () => {
  test('required survey variables must be among the extra vars', () => {
    const info: LaunchInfo = { variables_needed_to_start: ['stack_image_tag', 'namespace'] };
    expect(missingAtLaunch(info, { extra_vars: { namespace: 'x' } })).toEqual([
      "survey variables 'stack_image_tag' (add them to 'extra-vars')",
    ]);
    expect(missingAtLaunch(info, { extra_vars: { namespace: 'x', stack_image_tag: '1' } })).toEqual([]);
  });

  test('passwords, a credential and an inventory the template lacks', () => {
    const info: LaunchInfo = {
      passwords_needed_to_start: ['ssh_password'],
      credential_needed_to_start: true,
      inventory_needed_to_start: true,
    };
    const problems = missingAtLaunch(info, {});
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/passwords ssh_password/);
    expect(missingAtLaunch({ inventory_needed_to_start: true }, { inventory: 3 })).toEqual([]);
  });
});

describe('describeFields and ignoredFromReply', () => {
  test('an ignored_fields reply reads like the preflight', () => {
    const ignored = ignoredFromReply({ extra_vars: { stack_image_tag: '1.0.3' }, job_tags: 'deploy', forks: 5 });
    expect(ignored).toEqual([
      { field: 'extra_vars', input: 'extra-vars', variables: ['stack_image_tag'] },
      { field: 'job_tags', input: 'job-tags', variables: undefined },
      { field: 'forks', input: 'forks', variables: undefined },
    ]);
    expect(describeFields(ignored)).toBe('extra_vars (stack_image_tag), job_tags, forks');
    expect(ignoredFromReply(undefined)).toEqual([]);
    expect(ignoredFromReply({})).toEqual([]);
  });
});
