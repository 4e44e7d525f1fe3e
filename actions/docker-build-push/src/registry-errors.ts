/**
 * Which registry failures are worth another attempt. Docker reports registry errors only as text on
 * stderr, so this reads that text: authentication and permission errors are final (retrying a wrong
 * password can lock the account), 5xx, 429 and network failures are transient.
 */
export type FailureKind = 'auth' | 'transient' | 'other';

const AUTH = [
  /\bunauthorized\b/i,
  /\bdenied\b/i,
  /authentication required/i,
  /incorrect username or password/i,
  /\b40[13]\b/,
  /forbidden/i,
];
const TRANSIENT = [
  /\b50[0234]\b/,
  /\b429\b/,
  /too ?many ?requests/i,
  /service unavailable/i,
  /bad gateway/i,
  /gateway time-?out/i,
  /internal server error/i,
  /i\/o timeout/i,
  /timed? ?out/i,
  /connection reset/i,
  /connection refused/i,
  /broken pipe/i,
  /unexpected EOF/i,
  /\bEOF\b/,
  /TLS handshake timeout/i,
  /no such host/i,
  /temporary failure in name resolution/i,
];

/** Classifies docker's error output. */
export function classifyFailure(output: string): FailureKind {
  if (AUTH.some((pattern) => pattern.test(output))) return 'auth';
  if (TRANSIENT.some((pattern) => pattern.test(output))) return 'transient';
  return 'other';
}

/** A failed docker command; `output` is its stderr (and stdout) for classification. */
export class DockerCommandError extends Error {
  override name = 'DockerCommandError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Whether a failed docker command may be tried again: a registry error docker reported as transient. */
export function isTransient(error: unknown): boolean {
  return error instanceof DockerCommandError && classifyFailure(error.output) === 'transient';
}
