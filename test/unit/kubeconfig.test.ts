import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKubeconfig, mergeKubeconfigs } from '../../src/discovery/kubeconfig.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-kc-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function config(o: { current?: string; cluster: string; server: string; context: string; user: string; token?: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    o.current ? `current-context: ${o.current}` : '',
    'clusters:',
    `- name: ${o.cluster}`,
    `  cluster: {server: "${o.server}"}`,
    'contexts:',
    `- name: ${o.context}`,
    `  context: {cluster: ${o.cluster}, user: ${o.user}}`,
    'users:',
    `- name: ${o.user}`,
    `  user: {token: ${o.token ?? 'tok'}}`,
  ].join('\n');
}

const a = file('a.yaml', config({ current: 'prod', cluster: 'prod', server: 'https://10.0.0.1:6443', context: 'prod', user: 'admin', token: 'from-a' }));
const b = file('b.yaml', config({ current: 'dev', cluster: 'prod', server: 'https://10.9.9.9:6443', context: 'dev', user: 'admin', token: 'from-b' }));

describe('kubeconfig merging as kubectl does it', () => {
  it('first file wins for current-context and for duplicate names; missing files are ignored', () => {
    const kc = loadKubeconfig({ explicitPath: null, env: { KUBECONFIG: `${join(dir, 'missing.yaml')}:${a}:${b}` } }, null)!;
    expect(kc.contextName).toBe('prod');
    expect(kc.cluster.server).toBe('https://10.0.0.1:6443');
    expect(kc.user.token).toBe('from-a');
    expect(kc.files).toEqual([a, b]);
  });

  it('reaches contexts defined only in a later file', () => {
    const kc = loadKubeconfig({ explicitPath: null, env: { KUBECONFIG: `${a}:${b}` } }, 'dev')!;
    expect(kc.contextName).toBe('dev');
    // cluster 'prod' is defined by a first: a wins
    expect(kc.cluster.server).toBe('https://10.0.0.1:6443');
  });

  it('falls back to ~/.kube/config', () => {
    const home = mkdtempSync(join(tmpdir(), 'k8sdoc-home-'));
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), config({ current: 'x', cluster: 'x', server: 'https://1.2.3.4', context: 'x', user: 'u' }));
    expect(loadKubeconfig({ explicitPath: null, env: {}, home }, null)?.cluster.server).toBe('https://1.2.3.4');
  });

  it('returns null when there is no kubeconfig at all and no pod service account', () => {
    const home = mkdtempSync(join(tmpdir(), 'k8sdoc-home-'));
    expect(loadKubeconfig({ explicitPath: null, env: {}, home }, null)).toBeNull();
  });

  it('uses the service account inside a pod', () => {
    const sa = mkdtempSync(join(tmpdir(), 'k8sdoc-sa-'));
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const home = mkdtempSync(join(tmpdir(), 'k8sdoc-home-'));
    const kc = loadKubeconfig(
      { explicitPath: null, env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, home, serviceAccountDir: sa },
      null,
    )!;
    expect(kc.inCluster).toBe(true);
    expect(kc.cluster.server).toBe('https://10.96.0.1:443');
    expect(kc.user.tokenFile).toBe(join(sa, 'token'));
  });

  it('resolves relative certificate paths against the file that names them', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(sub, 'c.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(sub, 'c.key'), '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    const path = join(sub, 'rel.yaml');
    writeFileSync(
      path,
      config({ current: 'r', cluster: 'r', server: 'https://h', context: 'r', user: 'u' })
        .replace('{server: "https://h"}', '{server: "https://h", certificate-authority: ca.crt}')
        .replace('{token: tok}', '{client-certificate: c.crt, client-key: c.key}'),
    );
    const kc = loadKubeconfig({ explicitPath: path, env: {} }, null)!;
    expect(kc.cluster.caPem).toContain('BEGIN CERTIFICATE');
    expect(kc.user['client-certificate']).toBe(join(sub, 'c.crt'));
  });
});

describe('credential files and cluster settings as kubectl reads them', () => {
  function withUser(name: string, user: string, cluster = '{server: "https://h"}'): string {
    return file(
      name,
      config({ current: 'c', cluster: 'c', server: 'https://h', context: 'c', user: 'ops' })
        .replace('{token: tok}', user)
        .replace('{server: "https://h"}', cluster),
    );
  }

  it.each([
    ['tokenFile', '{tokenFile: tokn}', /user 'ops' in .*: tokenFile .*\/tokn does not exist; fix the path in the user entry/],
    [
      'client-certificate',
      '{client-certificate: missing.crt, client-key: missing.key}',
      /user 'ops' in .*: client-certificate .*\/missing\.crt does not exist/,
    ],
    ['client-key', `{client-certificate: ${join(dir, 'sub', 'c.crt')}, client-key: typo.key}`, /user 'ops' in .*: client-key .*\/typo\.key does not exist/],
  ])('a missing %s is an error naming the file and the user entry, not an anonymous run', (_field, user, message) => {
    const path = withUser(`missing-${_field}.yaml`, user);
    expect(() => loadKubeconfig({ explicitPath: path, env: {} }, null)).toThrow(UsageError);
    expect(() => loadKubeconfig({ explicitPath: path, env: {} }, null)).toThrow(message);
  });

  it('reads proxy-url and tls-server-name; refuses a proxy scheme kubectl does not support', () => {
    const ok = loadKubeconfig(
      {
        explicitPath: withUser('proxy.yaml', '{token: t}', '{server: "https://h", proxy-url: "socks5://127.0.0.1:1080", tls-server-name: api.internal}'),
        env: {},
      },
      null,
    )!;
    expect(ok.cluster.proxyUrl).toBe('socks5://127.0.0.1:1080');
    expect(ok.cluster.tlsServerName).toBe('api.internal');
    const bad = withUser('proxy-bad.yaml', '{token: t}', '{server: "https://h", proxy-url: "ftp://127.0.0.1:21"}');
    expect(() => loadKubeconfig({ explicitPath: bad, env: {} }, null)).toThrow(/proxy-url scheme ftp is not supported; use http, https or socks5/);
  });
});

describe('kubeconfig errors are one clear line', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['unknown context', () => loadKubeconfig({ explicitPath: a, env: {} }, 'nope'), /context 'nope' not found in .*known contexts: prod/],
    ['missing explicit file', () => loadKubeconfig({ explicitPath: join(dir, 'none.yaml'), env: {} }, null), /does not exist; pass an existing file/],
    ['directory', () => loadKubeconfig({ explicitPath: dir, env: {} }, null), /is a directory/],
    ['malformed YAML', () => loadKubeconfig({ explicitPath: file('bad.yaml', 'clusters: [\n  - name: x\n  cluster: {'), env: {} }, null), /is not valid YAML/],
    ['binary file', () => loadKubeconfig({ explicitPath: file('bin.yaml', 'a\u0000b'), env: {} }, null), /binary file/],
    ['scalar document', () => loadKubeconfig({ explicitPath: file('scalar.yaml', 'just text'), env: {} }, null), /not a kubeconfig/],
    [
      'missing cluster',
      () =>
        loadKubeconfig(
          {
            explicitPath: file(
              'nocluster.yaml',
              config({ current: 'c', cluster: 'x', server: 'https://h', context: 'c', user: 'u' }).replace('context: {cluster: x', 'context: {cluster: ghost'),
            ),
            env: {},
          },
          null,
        ),
      /points to cluster 'ghost', which is not defined/,
    ],
    [
      'missing user',
      () =>
        loadKubeconfig(
          {
            explicitPath: file(
              'nouser.yaml',
              config({ current: 'c', cluster: 'x', server: 'https://h', context: 'c', user: 'u' }).replace('user: u}', 'user: ghost}'),
            ),
            env: {},
          },
          null,
        ),
      /points to user 'ghost'/,
    ],
    [
      'bad CA base64',
      () =>
        loadKubeconfig(
          {
            explicitPath: file(
              'badca.yaml',
              config({ current: 'c', cluster: 'x', server: 'https://h', context: 'c', user: 'u' }).replace(
                '{server: "https://h"}',
                '{server: "https://h", certificate-authority-data: "!!notbase64!!"}',
              ),
            ),
            env: {},
          },
          null,
        ),
      /certificate-authority-data is not valid base64/,
    ],
    [
      'CA data that is not a certificate',
      () =>
        loadKubeconfig(
          {
            explicitPath: file(
              'notcert.yaml',
              config({ current: 'c', cluster: 'x', server: 'https://h', context: 'c', user: 'u' }).replace(
                '{server: "https://h"}',
                `{server: "https://h", certificate-authority-data: "${Buffer.from('hello').toString('base64')}"}`,
              ),
            ),
            env: {},
          },
          null,
        ),
      /does not decode to a PEM certificate/,
    ],
    [
      'no current context',
      () => loadKubeconfig({ explicitPath: file('nocurrent.yaml', config({ cluster: 'x', server: 'https://h', context: 'c', user: 'u' })), env: {} }, null),
      /no current-context set .* pass --context \(one of: c\)/,
    ],
  ];
  it.each(cases)('%s', (_name, load, message) => {
    let error: unknown;
    try {
      load();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('from-a');
  });

  it('refuses a 50 MB file without parsing it', () => {
    const big = file('big.yaml', `# ${'x'.repeat(50 * 1024 * 1024)}`);
    expect(() => loadKubeconfig({ explicitPath: big, env: {} }, null)).toThrow(/too large for a kubeconfig/);
  });
});

describe('merge property', () => {
  it('every name resolves to the first file that defines it', () => {
    const names = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(fc.array(fc.array(names, { maxLength: 4 }), { minLength: 1, maxLength: 5 }), (files) => {
        const docs = files.map((clusterNames, i) => ({
          file: `f${i}`,
          doc: { clusters: clusterNames.map((n) => ({ name: n, cluster: { server: `https://f${i}` } })) },
        }));
        const merged = mergeKubeconfigs(docs);
        for (const [name, entry] of merged.clusters) {
          const first = files.findIndex((f) => (f as string[]).includes(name));
          expect(entry.file).toBe(`f${first}`);
        }
      }),
    );
  });
});
