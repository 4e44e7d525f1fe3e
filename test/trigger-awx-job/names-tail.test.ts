import { closestNames, editDistance } from '../../actions/trigger-awx-job/src/names';
import { OutputTail } from '../../actions/trigger-awx-job/src/tail';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['stack', 'stak', 1],
    ['same', 'same', 0],
  ])('%s → %s is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestNames', () => {
  const names = [
    'Staging Fragalysis Stack (Version Change)',
    'Production Fragalysis Stack',
    'Staging Fragalysis Stack',
    'Backup databases',
    'Production Fragalysis Stack',
  ];

  test('a typo finds the name, once', () => {
    expect(closestNames('Production Fragalysis Stak', names)).toEqual(['Production Fragalysis Stack']);
  });

  test('a different case or a part of the name finds those that contain it, closest first', () => {
    expect(closestNames('staging fragalysis stack', names)).toEqual([
      'Staging Fragalysis Stack',
      'Staging Fragalysis Stack (Version Change)',
    ]);
  });

  test('unrelated names are not suggested, and the list is bounded', () => {
    expect(closestNames('Rotate certificates', names)).toEqual([]);
    expect(closestNames('job', ['job1', 'job2', 'job3', 'job4'], 2)).toEqual(['job1', 'job2']);
  });
});

describe('OutputTail', () => {
  test('keeps the last lines, across multi-line pushes, without ANSI colours', () => {
    const tail = new OutputTail(3);
    expect(tail.isEmpty).toBe(true);
    tail.push('one\ntwo\n');
    tail.push('\u001b[0;31mthree\u001b[0m');
    tail.push('four\r\nfive');
    expect(tail.text()).toBe('three\nfour\nfive');
    expect(tail.isEmpty).toBe(false);
  });
});
