// An endpoint's port as written wins over the flag's default, even when it is the scheme's own
// default port, which URL parsing drops: `--apiserver https://<eks endpoint>:443` is probed on
// 443, not on the API server default 6443.
import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../../src/util/url.js';

describe('parseEndpoint', () => {
  it.each([
    ['https://10.0.0.1:443', 6443, 443, 'https://10.0.0.1:443'],
    ['https://[fd00::1]:443/', 6443, 443, 'https://[fd00::1]:443'],
    ['http://etcd-1:80', 2379, 80, 'http://etcd-1:80'],
    ['https://10.0.0.1', 6443, 6443, 'https://10.0.0.1:6443'],
    ['https://10.0.0.1/', 2379, 2379, 'https://10.0.0.1:2379'],
    ['https://10.0.0.1:6443', 443, 6443, 'https://10.0.0.1:6443'],
  ])('%s with default %i: port %i, %s', (text, defaultPort, port, url) => {
    expect(parseEndpoint(text, '--apiserver', 'flag', defaultPort)).toMatchObject({ port, url });
  });
});
