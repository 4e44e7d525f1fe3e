/**
 * Image names: the part of a Docker reference before the tag. Validated against the reference
 * grammar Docker applies (`[host[:port]/]component(/component)*`, lower-case path components), so a
 * typo fails as an input error instead of as a push error after the build.
 */
import { inputError } from '@conveyor/core';

export interface ImageName {
  /** The full name as given to docker (`ghcr.io/org/app`, `views3/ingester`). */
  name: string;
  /** The registry host (`ghcr.io`, `localhost:5000`); `docker.io` when the name has none. */
  registry: string;
  /** The repository path inside the registry (`org/app`). */
  repository: string;
}

export const DOCKER_HUB = 'docker.io';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$|^\[[0-9a-f:]+\](?::\d{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 255;

/** Whether the first component of a name is a registry host rather than a path (Docker's rule). */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export interface ParsedImageName extends ImageName {
  /** Set when upper case was lowered (the caller warns). */
  lowered: boolean;
}

/** Parses and validates one image name; `input` names the input in errors. */
export function parseImageName(input: string, raw: string): ParsedImageName {
  const given = raw.trim();
  const lowered = given.toLowerCase();
  const components = lowered.split('/');
  const hasHost = components.length > 1 && looksLikeHost(components[0] as string);
  const registry = hasHost ? (components.shift() as string) : DOCKER_HUB;
  const lastComponent = components[components.length - 1] ?? '';
  const fix = "Give a name such as 'org/app', 'ghcr.io/org/app' or 'localhost:5000/app', without a tag";
  if (lastComponent.includes('@') || lastComponent.includes(':')) {
    throw inputError(input, `'${given}' includes a tag or digest`, "Give the name only and set the tags in 'tags'");
  }
  if (hasHost && !HOST.test(registry)) throw inputError(input, `'${given}' has an invalid registry host '${registry}'`, fix);
  const bad = components.find((component) => !PATH_COMPONENT.test(component));
  if (components.length === 0 || bad !== undefined) {
    throw inputError(input, `'${given}' is not a valid image name${bad !== undefined ? ` (component '${bad}')` : ''}`, fix);
  }
  if (lowered.length > MAX_NAME_LENGTH) throw inputError(input, `'${given}' is longer than ${MAX_NAME_LENGTH} characters`, fix);
  let repository = components.join('/');
  // Docker Hub's official images live under library/; the short name is what users type.
  if (registry === DOCKER_HUB && components.length === 1) repository = `library/${repository}`;
  return { name: lowered, registry, repository, lowered: lowered !== given };
}

export interface EcrRegistry {
  accountId: string;
  region: string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** The account and region of a private ECR registry host, or undefined for any other host. */
export function parseEcrHost(host: string): EcrRegistry | undefined {
  const match = ECR_HOST.exec(host.toLowerCase());
  return match ? { accountId: match[1] as string, region: match[2] as string } : undefined;
}

/** Amazon ECR Public's registry host. */
export const ECR_PUBLIC_HOST = 'public.ecr.aws';

/** Whether `host` is an Amazon ECR registry, private or public (its login can come from AWS credentials). */
export function isEcrHost(host: string): boolean {
  return host.toLowerCase() === ECR_PUBLIC_HOST || parseEcrHost(host) !== undefined;
}

/** A web page for the image on the well-known registries (for the job summary), else undefined. */
export function imagePageUrl(image: ImageName): string | undefined {
  if (image.registry === DOCKER_HUB) {
    const official = /^library\/([^/]+)$/.exec(image.repository);
    return official ? `https://hub.docker.com/_/${official[1]}` : `https://hub.docker.com/r/${image.repository}`;
  }
  if (image.registry === 'ghcr.io') return `https://ghcr.io/${image.repository}`;
  if (image.registry === ECR_PUBLIC_HOST) return `https://gallery.ecr.aws/${image.repository}`;
  const ecr = parseEcrHost(image.registry);
  if (ecr) {
    const { region, accountId } = ecr;
    return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${accountId}/${image.repository}?region=${region}`;
  }
  return undefined;
}
