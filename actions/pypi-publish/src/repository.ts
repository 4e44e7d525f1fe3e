/**
 * Where things live for a given upload URL: PyPI and TestPyPI upload to one host and serve the JSON
 * API and project pages from another; other indexes serve everything beside the upload path.
 * The trusted-publishing endpoints are on the upload host (`/_/oidc/...`).
 */
export interface IndexEndpoints {
  upload: string;
  /** Base of `pypi/<name>/<version>/json` and `project/<name>/<version>/` (ends with /). */
  web: string;
  /** Origin of `/_/oidc/audience` and `/_/oidc/mint-token`. */
  oidc: string;
}

const KNOWN_WEB: Record<string, string> = {
  'upload.pypi.org': 'https://pypi.org/',
  'test.pypi.org': 'https://test.pypi.org/',
};

export function indexEndpoints(repositoryUrl: string): IndexEndpoints {
  const url = new URL(repositoryUrl);
  const upload = url.toString().endsWith('/') ? url.toString() : `${url.toString()}/`;
  return { upload, web: KNOWN_WEB[url.hostname] ?? new URL('..', upload).toString(), oidc: url.origin };
}

/** Whether credentials may be sent to this URL: https, or plain http to this machine only. */
export function isSafeTransport(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}
