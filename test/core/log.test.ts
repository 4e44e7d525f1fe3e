import { neutraliseCommands } from '@conveyor/core';

test('workflow commands at the start of any line are broken, other text is untouched', () => {
  const text = '::set-output name=x::y\n  ::add-mask::z\nok: [host] ::not-a-command\n::stop-commands::t';
  const neutral = neutraliseCommands(text);
  expect(neutral.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
  expect(neutral).toContain('ok: [host] ::not-a-command');
  expect(neutral.replace(/\u200b/g, '')).toBe(text);
});
