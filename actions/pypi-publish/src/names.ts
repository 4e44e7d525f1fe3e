/**
 * Distribution names and versions as the index compares them: PEP 503 project names, PEP 440
 * versions in their normal form, PEP 427 wheel file names and PEP 625 sdist file names.
 * Pure functions, so every rule the index enforces can be checked before anything is uploaded.
 */

/** PEP 503: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The name as it must start a wheel or sdist file name (PEP 427 escaping of the normalized name). */
export function fileNamePrefix(name: string): string {
  return normalizeName(name).replace(/-/g, '_');
}

// PEP 440's grammar, with the spellings the spec allows and normalizes away (v prefix, `-rc1`, `.post-1`).
const PEP440 = new RegExp(
  '^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)' +
    '(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?' +
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' +
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PRE_SPELLING: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

/** The normal form of a PEP 440 version (`V1.0-RC1` → `1.0rc1`), or undefined when it is not one. */
export function normalizeVersion(version: string): string | undefined {
  const match = PEP440.exec(version.trim());
  if (!match) return undefined;
  const [, epoch, release, pre, preNumber, postImplicit, post, postNumber, dev, devNumber, local] = match;
  const number = (digits: string | undefined) => String(Number(digits ?? 0));
  let text = epoch && Number(epoch) !== 0 ? `${Number(epoch)}!` : '';
  text += (release as string).split('.').map(number).join('.');
  if (pre) text += `${PRE_SPELLING[pre.toLowerCase()]}${number(preNumber)}`;
  if (postImplicit !== undefined) text += `.post${number(postImplicit)}`;
  else if (post) text += `.post${number(postNumber)}`;
  if (dev) text += `.dev${number(devNumber)}`;
  if (local) text += `+${local.toLowerCase().replace(/[-_]/g, '.')}`;
  return text;
}

export interface WheelFileName {
  /** The name part as written in the file name. */
  name: string;
  version: string;
  build?: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

/** Splits `name-version(-build)?-python-abi-platform.whl`; undefined when it has another shape. */
export function parseWheelFileName(fileName: string): WheelFileName | undefined {
  if (!fileName.endsWith('.whl')) return undefined;
  const parts = fileName.slice(0, -'.whl'.length).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [name, version, ...rest] = parts as [string, string, ...string[]];
  const build = rest.length === 4 ? rest.shift() : undefined;
  if (build !== undefined && !/^\d/.test(build)) return undefined;
  const [python, abi, platform] = rest as [string, string, string];
  if (!name || !version || !python || !abi || !platform) return undefined;
  return { name, version, build, pythonTags: python.split('.'), abiTags: abi.split('.'), platformTags: platform.split('.') };
}

/** PEP 625: the only sdist file name the index accepts for this name and version. */
export function expectedSdistFileName(name: string, version: string): string {
  return `${fileNamePrefix(name)}-${normalizeVersion(version) ?? version}.tar.gz`;
}

/** The `pyversion` the upload form wants: `source` for an sdist, the wheel's python tag otherwise. */
export function uploadPythonVersion(fileName: string): string {
  const wheel = parseWheelFileName(fileName);
  return wheel ? wheel.pythonTags.join('.') : 'source';
}
