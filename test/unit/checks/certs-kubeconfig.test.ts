// certs-kubeconfig: the current context's client certificate (inline or a file) and its
// cluster CA, from a kubeconfig loaded as the CLI loads it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certsKubeconfig } from '../../../src/checks/certs-kubeconfig.js';
import { targetsFromFlags } from '../../../src/discovery/index.js';
import { loadKubeconfig } from '../../../src/discovery/kubeconfig.js';
import { filesProbe } from '../../../src/probes/files.js';
import { createCa, expiredSince, issue, kubeconfigYaml, validFor, type Issued } from '../../../src/sim/pki.js';
import { defaultOptions, fakeContext } from '../../helpers/fake-context.js';

let dir: string;
let ca: Issued;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8sdoc-certs-kc-'));
  ca = await createCa('kubernetes', validFor(100));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Loads `yaml` as the CLI would and runs the check on the targets it yields. */
async function runOn(name: string, yaml: string) {
  const path = join(dir, name);
  await writeFile(path, yaml);
  const kubeconfig = loadKubeconfig({ explicitPath: path, env: {} }, null);
  const targets = targetsFromFlags(defaultOptions({ kubeconfig: path }), kubeconfig);
  return certsKubeconfig.run(fakeContext({ probes: { files: filesProbe }, targets, now: new Date() }));
}

describe('certs-kubeconfig', () => {
  it('reports an expired embedded client certificate as cert-expired, in words triage reads as a 401 cause', async () => {
    const client = await issue(ca, { commonName: 'kubernetes-admin', usage: 'client', validity: expiredSince(1) });
    const findings = await runOn('inline.yaml', kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem: ca.certPem, user: client }));
    const own = findings.find((f) => f.subject.endsWith('client certificate'));
    expect(own).toMatchObject({ status: 'crit', code: 'cert-expired', data: { notAfter: client.notAfter.toISOString() } });
    expect(String(own!.data!['source'])).toContain("kubeconfig user 'kubernetes-admin'");
    const caFinding = findings.find((f) => f.subject === "cluster 'kubernetes' CA");
    expect(caFinding).toMatchObject({ status: 'ok', data: { isCa: true } });
    expect(String(caFinding!.data!['source'])).not.toContain('kubeconfig');
  });

  it('reads a client certificate given as a file path, relative to the kubeconfig', async () => {
    const client = await issue(ca, { commonName: 'jane', usage: 'client', validity: validFor(20) });
    await writeFile(join(dir, 'jane.crt'), client.certPem);
    // A user entry naming a key that is not there is refused before any check runs.
    await writeFile(join(dir, 'jane.key'), client.keyPem);
    const yaml = stringify({
      apiVersion: 'v1',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'jane' } }],
      'current-context': 'x',
      users: [{ name: 'jane', user: { 'client-certificate': 'jane.crt', 'client-key': 'jane.key' } }],
    });
    const findings = await runOn('by-path.yaml', yaml);
    const own = findings.find((f) => f.subject.endsWith('client certificate'));
    expect(own).toMatchObject({ status: 'warn', code: 'cert-expiring' });
    expect(String(own!.data!['source'])).toContain(`(file ${join(dir, 'jane.crt')})`);
  });

  it('gives a CA that expires before the client certificate a line of its own', async () => {
    const client = await issue(ca, { commonName: 'kubernetes-admin', usage: 'client', validity: validFor(365) });
    const findings = await runOn('ca-first.yaml', kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem: ca.certPem, user: client }));
    expect(findings.find((f) => f.code === 'cert-ca-expires-first')?.message).toContain('kubeconfig kubernetes-admin (until');
  });

  it('says a token user has no client certificate, and still judges the CA', async () => {
    const findings = await runOn('token.yaml', kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem: ca.certPem, user: { token: 'abc.def' } }));
    expect(findings[0]).toMatchObject({
      status: 'skip',
      message: "user 'kubernetes-admin' of context 'kubernetes-admin@kubernetes' authenticates with a bearer token: no client certificate to check",
    });
    expect(findings[1]).toMatchObject({ status: 'ok', subject: "cluster 'kubernetes' CA" });
    expect(JSON.stringify(findings)).not.toContain('abc.def');
  });
});
