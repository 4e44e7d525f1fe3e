import { parseBoolean, parseDuration, parseEnum, parseInteger, parseList, parseMap } from '@conveyor/core';

describe('inputs', () => {
  test('booleans accept only the YAML 1.2 core values', () => {
    expect(parseBoolean('push', 'true')).toBe(true);
    expect(parseBoolean('push', 'FALSE')).toBe(false);
    expect(parseBoolean('push', ' True ')).toBe(true);
    expect(parseBoolean('push', '', true)).toBe(true);
    for (const bad of ['yes', 'on', '1', 'tRuE', '']) {
      expect(() => parseBoolean('push', bad)).toThrow(/^Input 'push': .* Use true or false$/);
    }
  });

  test('integers are whole and inside the range', () => {
    expect(parseInteger('retries', '3', { min: 0, max: 10 })).toBe(3);
    expect(parseInteger('retries', '', { min: 0 }, 5)).toBe(5);
    expect(() => parseInteger('retries', '3.5')).toThrow("Input 'retries': '3.5' is not a whole number");
    expect(() => parseInteger('retries', '11', { min: 0, max: 10 })).toThrow(
      "Input 'retries': 11 is out of range. Use a whole number from 0 to 10",
    );
    expect(() => parseInteger('retries', '0x10')).toThrow(/not a whole number/);
  });

  test('durations: units, combinations and plain seconds', () => {
    expect(parseDuration('timeout', '90s')).toBe(90_000);
    expect(parseDuration('timeout', '10m')).toBe(600_000);
    expect(parseDuration('timeout', '1h30m')).toBe(5_400_000);
    expect(parseDuration('timeout', '1h2m3s')).toBe(3_723_000);
    expect(parseDuration('timeout', '600')).toBe(600_000);
    expect(parseDuration('timeout', '2H')).toBe(7_200_000);
    expect(parseDuration('timeout', '', 1000)).toBe(1000);
    for (const bad of ['', 'h', '10 m', '1m1h', '-5', '1.5h', 'soon']) {
      expect(() => parseDuration('timeout', bad)).toThrow(/^Input 'timeout': .*is not a duration\. Use plain seconds/);
    }
  });

  test('lists split on lines and commas, dropping blanks', () => {
    expect(parseList('a\nb, c\n\n ,d\r\ne')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(parseList('')).toEqual([]);
    expect(parseList('type=raw,value=a\n  type=sha \r\n\n', { commas: false })).toEqual(['type=raw,value=a', 'type=sha']);
  });

  test('maps accept YAML and JSON, nothing else', () => {
    expect(parseMap('extra-vars', 'version: 1.0.3\nreplicas: 2')).toEqual({ version: '1.0.3', replicas: 2 });
    expect(parseMap('extra-vars', '{"a": {"b": [1, 2]}}')).toEqual({ a: { b: [1, 2] } });
    expect(parseMap('extra-vars', '')).toEqual({});
    expect(() => parseMap('extra-vars', '- a\n- b')).toThrow("Input 'extra-vars': is not a mapping");
    expect(() => parseMap('extra-vars', 'just text')).toThrow(/is not a mapping/);
    expect(() => parseMap('extra-vars', '{"a": ')).toThrow(/^Input 'extra-vars': is not valid YAML or JSON \(/);
  });

  test('YAML maps do not turn dates or octal-looking text into other types', () => {
    expect(parseMap('inputs', 'date: 2026-11-21\nmode: 0755')).toEqual({ date: '2026-11-21', mode: 755 });
  });

  test('enums are case-insensitive and list the choices', () => {
    expect(parseEnum('mode', 'Promote', ['candidate', 'promote', 'publish'])).toBe('promote');
    expect(parseEnum('mode', '', ['a', 'b'], 'b')).toBe('b');
    expect(() => parseEnum('mode', 'ship', ['candidate', 'promote', 'publish'])).toThrow(
      "Input 'mode': 'ship' is not allowed. Use one of: candidate, promote, publish",
    );
  });
});
