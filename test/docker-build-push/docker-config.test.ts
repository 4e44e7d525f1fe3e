import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDockerConfig,
  inheritedConfig,
  removeDockerConfig,
  usesCredentialHelpers,
} from '../../actions/docker-build-push/src/docker-config';

const scratch = () => mkdtempSync(join(tmpdir(), 'docker-config-test-'));

test('the user configuration is inherited without credsStore', () => {
  expect(inheritedConfig('{"auths":{"r":{"auth":"eDp5"}},"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}}')).toEqual({
    auths: { r: { auth: 'eDp5' } },
    credHelpers: { 'gcr.io': 'gcloud' },
  });
  expect(inheritedConfig('not json')).toBeUndefined();
  expect(inheritedConfig('[1]')).toBeUndefined();
  expect(inheritedConfig('null')).toBeUndefined();
});

test('created under RUNNER_TEMP with links to plugins and builders, removed without touching them', () => {
  const runnerTemp = scratch();
  const user = scratch();
  mkdirSync(join(user, 'cli-plugins'));
  writeFileSync(join(user, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n');
  mkdirSync(join(user, 'buildx'));
  writeFileSync(join(user, 'config.json'), '{"credsStore":"secretservice","auths":{}}');

  const dir = createDockerConfig(runnerTemp, user);
  expect(dir.startsWith(join(runnerTemp, 'docker-config-'))).toBe(true);
  expect(lstatSync(join(dir, 'cli-plugins')).isSymbolicLink()).toBe(true);
  expect(lstatSync(join(dir, 'buildx')).isSymbolicLink()).toBe(true);
  expect(existsSync(join(dir, 'contexts'))).toBe(false);
  expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ auths: {} });
  expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);

  removeDockerConfig(dir);
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(join(user, 'cli-plugins', 'docker-buildx'))).toBe(true);
  expect(existsSync(join(user, 'config.json'))).toBe(true);
});

test('no user configuration: an empty directory', () => {
  const dir = createDockerConfig(scratch(), join(scratch(), 'missing'));
  expect(existsSync(join(dir, 'config.json'))).toBe(false);
});

test('credential helpers: only where the config names one (or cannot be read) must the post step run docker logout', () => {
  const withConfig = (text?: string) => {
    const dir = scratch();
    if (text !== undefined) writeFileSync(join(dir, 'config.json'), text);
    return usesCredentialHelpers(dir);
  };
  expect(withConfig()).toBe(false);
  expect(withConfig('{"auths":{"r.example":{"auth":"YTpi"}}}')).toBe(false);
  expect(withConfig('{"credHelpers":{}}')).toBe(false);
  expect(withConfig('null')).toBe(false);
  expect(withConfig('{"credHelpers":{"r.example":"pass"}}')).toBe(true);
  expect(withConfig('{"credsStore":"desktop"}')).toBe(true);
  expect(withConfig('{not json')).toBe(true);
});
