import { readFileSync } from 'node:fs';
import { fillSteps } from '../../src/catalogue/fill.js';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/registry/index.js';
import { ALL_CODES, CODES, isCode } from '../../src/catalogue/codes.js';
import { ENTRIES } from '../../src/catalogue/entries.js';
import { searchCatalogue } from '../../src/catalogue/index.js';
import { catalogueDocsPage, checkInfoModule, contractPage } from '../../src/registry/docs-page.js';
import { CHECK_OPTIONS } from '../../src/options.js';
import { CHECK_INFO } from '../../src/registry/info.generated.js';

const CONTRACT_CODES = [
  'apiserver-refused',
  'apiserver-timeout',
  'apiserver-tls-error',
  'apiserver-unauthorized',
  'apiserver-not-ready',
  'apiserver-latency-high',
  'control-plane-not-ha',
  'etcd-quorum-lost',
  'etcd-quorum-at-risk',
  'etcd-even-members',
  'etcd-member-unreachable',
  'etcd-no-leader',
  'etcd-alarm-nospace',
  'etcd-alarm-corrupt',
  'etcd-db-near-quota',
  'etcd-backup-stale',
  'cert-expired',
  'cert-expiring',
  'cert-not-yet-valid',
  'node-not-ready',
  'node-memory-pressure',
  'node-disk-pressure',
  'node-pid-pressure',
  'kubelet-unreachable',
  'port-refused',
  'port-timeout',
];

describe('catalogue', () => {
  it('has every code the contract promises', () => {
    for (const code of CONTRACT_CODES) expect(ALL_CODES).toContain(code);
  });

  it.each(ALL_CODES)('%s has a symptom, causes, a fix, keywords and its own component', (code) => {
    const e = ENTRIES[code];
    expect(e.symptom.length).toBeGreaterThan(10);
    expect(e.causes.length).toBeGreaterThan(0);
    expect(e.fix.length).toBeGreaterThan(0);
    expect(e.keywords.length).toBeGreaterThan(0);
    const group = Object.entries(CODES).find(([, codes]) => (codes as readonly string[]).includes(code))![0];
    expect(e.component).toBe(group);
  });

  it('has an entry for every code a check can emit, and ids are unique kebab-case', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      // Built-in checks raise built-in codes only: plugin codes come from plugins.
      for (const code of c.codes) expect(isCode(code) ? ENTRIES[code] : undefined).toBeDefined();
    }
  });

  it('carries the three failure pictures: Connection refused, NotReady and lost quorum with their commands', () => {
    expect(ENTRIES['apiserver-refused'].causes.join(' ')).toMatch(/crashed.*certificate.*expired/s);
    // Status and logs in the distribution's own commands: static pods on kubeadm, the k3s unit on k3s.
    expect(
      fillSteps(ENTRIES['apiserver-refused'].fix, 'apiserver', {}, { distribution: 'kubeadm' })
        .map((s) => s.text)
        .join('\n'),
    ).toMatch(/crictl ps -a --name kube-apiserver/);
    expect(
      fillSteps(ENTRIES['apiserver-refused'].fix, 'apiserver', {}, { distribution: 'k3s' })
        .map((s) => s.text)
        .join('\n'),
    ).toMatch(/journalctl -u k3s/);
    expect(ENTRIES['apiserver-refused'].fix.join('\n')).toMatch(/kubeadm certs check-expiration/);
    expect(ENTRIES['node-not-ready'].causes.join(' ')).toMatch(/cannot reach the control plane.*memory is full/s);
    // The kubelet is a systemd unit on kubeadm nodes, whatever runs the control plane.
    const nodeSteps = fillSteps(ENTRIES['node-not-ready'].fix, 'nodes', {}, { distribution: 'kubeadm' })
      .map((s) => s.text)
      .join('\n');
    expect(nodeSteps).toMatch(/systemctl restart kubelet/);
    expect(nodeSteps).toMatch(/journalctl -u kubelet/);
    expect(ENTRIES['etcd-quorum-lost'].symptom).toMatch(/changes are not applied/);
    expect(ENTRIES['etcd-quorum-lost'].causes[0]).toMatch(/2 of 3/);
    expect(ENTRIES['etcd-even-members'].causes.join(' ')).toMatch(/4 members tolerate only 1 failure/);
  });

  it.each([
    ['connection refused', 'apiserver-refused'],
    ['The connection to the server 10.0.0.1:6443 was refused', 'apiserver-refused'],
    ['NotReady', 'node-not-ready'],
    ['changes not applied', 'etcd-quorum-lost'],
    ['read-only', 'etcd-quorum-lost'],
    ['certificate has expired', 'cert-expired'],
    ['x509', 'apiserver-tls-error'],
    ['database space exceeded', 'etcd-alarm-nospace'],
    ['etcd-quorum-lost', 'etcd-quorum-lost'],
  ])('finds %j first as %s', (words, code) => {
    expect(searchCatalogue(words)[0]?.code).toBe(code);
  });

  it('docs/catalogue.md is generated from the data and up to date (run `npm run docs`)', () => {
    expect(readFileSync('docs/catalogue.md', 'utf8')).toBe(catalogueDocsPage());
  });

  it('docs/contract.md matches the options, the registry and the catalogue (run `npm run docs`)', () => {
    expect(readFileSync('docs/contract.md', 'utf8')).toBe(contractPage());
    for (const o of CHECK_OPTIONS) expect(contractPage()).toContain(o.flags);
  });

  it('src/registry/info.generated.ts matches the check registry (run `npm run docs`)', () => {
    expect(readFileSync('src/registry/info.generated.ts', 'utf8')).toBe(checkInfoModule());
    expect(CHECK_INFO.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    expect(CHECK_INFO.find((c) => c.id === 'etcd-quorum')!.codes).toEqual(CHECKS.find((c) => c.id === 'etcd-quorum')!.codes);
  });
});
