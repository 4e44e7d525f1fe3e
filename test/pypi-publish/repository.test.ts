import { indexEndpoints, isSafeTransport } from '../../actions/pypi-publish/src/repository';

describe('index endpoints', () => {
  test('PyPI and TestPyPI read from their web hosts; OIDC is on the upload host', () => {
    expect(indexEndpoints('https://upload.pypi.org/legacy/')).toEqual({
      upload: 'https://upload.pypi.org/legacy/',
      web: 'https://pypi.org/',
      oidc: 'https://upload.pypi.org',
    });
    expect(indexEndpoints('https://test.pypi.org/legacy')).toEqual({
      upload: 'https://test.pypi.org/legacy/',
      web: 'https://test.pypi.org/',
      oidc: 'https://test.pypi.org',
    });
  });

  test('other indexes serve reads beside the upload path', () => {
    expect(indexEndpoints('https://nexus.example.org/repository/pypi-internal/legacy/')).toEqual({
      upload: 'https://nexus.example.org/repository/pypi-internal/legacy/',
      web: 'https://nexus.example.org/repository/pypi-internal/',
      oidc: 'https://nexus.example.org',
    });
  });

  test('credentials go over https, or plain http only to this machine', () => {
    expect(isSafeTransport(new URL('https://upload.pypi.org/legacy/'))).toBe(true);
    expect(isSafeTransport(new URL('http://127.0.0.1:8080/legacy/'))).toBe(true);
    expect(isSafeTransport(new URL('http://localhost/legacy/'))).toBe(true);
    expect(isSafeTransport(new URL('http://pypi.example.org/legacy/'))).toBe(false);
    expect(isSafeTransport(new URL('ftp://pypi.example.org/'))).toBe(false);
  });
});
