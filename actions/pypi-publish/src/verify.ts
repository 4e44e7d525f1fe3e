/**
 * Checks on a set of distributions before any of them is uploaded, so a release is never left half
 * published: parseable metadata the index supports, one project and version across files, and file
 * names the index will accept (PEP 625 sdists, wheel names and tags, no bare `linux_*` wheels).
 */
import { header, type CoreMetadata } from './metadata';
import { expectedSdistFileName, fileNamePrefix, normalizeName, normalizeVersion, parseWheelFileName } from './names';

/** The metadata versions PyPI accepts today (2.0 never existed as a standard). */
export const SUPPORTED_METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];

export interface Distribution {
  fileName: string;
  metadata: CoreMetadata;
}

export interface Release {
  /** The project name as the metadata spells it. */
  name: string;
  /** The version as the metadata spells it. */
  version: string;
}

export interface Verification {
  release?: Release;
  /** One line each, naming the file. Empty when every file may be uploaded. */
  problems: string[];
}

export function isWheel(fileName: string): boolean {
  return fileName.endsWith('.whl');
}

/** The release the files belong to: the sdist's name and version if there is one, else the first file's. */
export function releaseOf(distributions: readonly Distribution[]): Release | undefined {
  const first = distributions.find((dist) => !isWheel(dist.fileName)) ?? distributions[0];
  const name = first && header(first.metadata, 'Name');
  const version = first && header(first.metadata, 'Version');
  return name && version ? { name, version } : undefined;
}

export function verifyDistributions(distributions: readonly Distribution[], expectedVersion?: string): Verification {
  const problems: string[] = [];
  const release = releaseOf(distributions);
  for (const dist of distributions) problems.push(...checkMetadata(dist), ...(release ? checkAgainstRelease(dist, release) : []));
  const sdists = distributions.filter((dist) => !isWheel(dist.fileName));
  if (sdists.length > 1) {
    problems.push(`${sdists.map((dist) => dist.fileName).join(', ')}: the index accepts only one sdist per release; keep one`);
  }
  if (release && expectedVersion) {
    const expected = normalizeVersion(expectedVersion) ?? expectedVersion;
    if ((normalizeVersion(release.version) ?? release.version) !== expected) {
      problems.push(`the distributions are version ${release.version}, but expected-version is ${expectedVersion}`);
    }
  }
  return { release, problems };
}

function checkMetadata({ fileName, metadata }: Distribution): string[] {
  const problems: string[] = [];
  const metadataVersion = header(metadata, 'Metadata-Version');
  if (!metadataVersion) problems.push(`${fileName}: the metadata has no Metadata-Version`);
  else if (!SUPPORTED_METADATA_VERSIONS.includes(metadataVersion)) {
    problems.push(
      `${fileName}: Metadata-Version ${metadataVersion} is not one the index accepts (${SUPPORTED_METADATA_VERSIONS.join(', ')})`,
    );
  }
  if (!header(metadata, 'Name')) problems.push(`${fileName}: the metadata has no Name`);
  const version = header(metadata, 'Version');
  if (!version) problems.push(`${fileName}: the metadata has no Version`);
  else if (!normalizeVersion(version)) problems.push(`${fileName}: Version '${version}' is not a PEP 440 version`);
  return problems;
}

function checkAgainstRelease({ fileName, metadata }: Distribution, release: Release): string[] {
  const problems: string[] = [];
  const name = header(metadata, 'Name');
  const version = header(metadata, 'Version');
  if (name && normalizeName(name) !== normalizeName(release.name)) {
    problems.push(`${fileName}: its project is '${name}', but the other files are '${release.name}'`);
  }
  if (version && normalizeVersion(version) !== normalizeVersion(release.version)) {
    problems.push(`${fileName}: its version is ${version}, but the other files are ${release.version}`);
  }
  if (!name || !version) return problems;

  if (!isWheel(fileName)) {
    const expected = expectedSdistFileName(name, version);
    if (fileName !== expected) {
      problems.push(`${fileName}: the index requires PEP 625 sdist names; this one must be named ${expected} (upgrade the build backend)`);
    }
    return problems;
  }
  const wheel = parseWheelFileName(fileName);
  if (!wheel) return [...problems, `${fileName}: not a valid wheel file name (name-version-python-abi-platform.whl)`];
  if (wheel.name !== fileNamePrefix(name)) {
    problems.push(`${fileName}: the file name should start with the normalized project name '${fileNamePrefix(name)}'`);
  }
  if (normalizeVersion(wheel.version) !== normalizeVersion(version)) {
    problems.push(`${fileName}: the file name says version ${wheel.version}, the metadata says ${version}`);
  }
  for (const platform of wheel.platformTags.filter((tag) => tag.startsWith('linux_'))) {
    problems.push(
      `${fileName}: the platform tag ${platform} is refused by PyPI; build manylinux wheels (cibuildwheel, or auditwheel repair) or upload only the sdist`,
    );
  }
  return problems;
}
