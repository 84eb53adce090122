// What the report tells a user about etcd and ports follows what was observed and the
// cluster's distribution: given a finding's evidence, the first cause and the first step shown
// (through buildReport, as every output gets them), and etcdctl lines filled with exactly the
// endpoints and files the run used.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { EtcdAccess } from '../../../src/catalogue/fill.js';
import { ALL_CODES, entryFor } from '../../../src/catalogue/index.js';
import type { Code } from '../../../src/catalogue/codes.js';
import { severityOf } from '../../../src/catalogue/raise.js';
import { reportOne } from '../../helpers/report-one.js';
import type { About, ReportResult } from '../../../src/engine/types.js';
import type { Distribution } from '../../../src/shape/types.js';

const MEMBER: About = {
  member: { id: '8e9e05c52164694d', name: 'cp-2', clientURLs: ['https://10.0.0.12:2379'], peerURLs: ['https://10.0.0.12:2380'] },
  endpoint: 'https://10.0.0.12:2379',
};

const ACCESS: EtcdAccess = {
  endpoints: ['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379'],
  cacert: '/tmp/my pki/etcd/ca.crt',
  cert: 'certs/client.crt',
  key: 'certs/client.key',
};

function reported(code: Code, about: About, o: { distribution?: Distribution; etcd?: EtcdAccess } = {}): ReportResult {
  return reportOne(code, about, o);
}

const texts = (r: ReportResult) => r.steps!.map((s) => s.text);

const RUN_ETCDCTL =
  "etcdctl --endpoints=https://10.0.0.11:2379,https://10.0.0.12:2379,https://10.0.0.13:2379 --cacert='/tmp/my pki/etcd/ca.crt' --cert=certs/client.crt --key=certs/client.key";
const KUBEADM_ETCDCTL =
  'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key';

describe('first cause and first step by evidence and distribution', () => {
  // [code, evidence, distribution, first cause starts with, first step]
  const table: [Code, About['evidence'], Distribution | undefined, string, string][] = [
    ['etcd-quorum-lost', { quorum: 'lost' }, undefined, 'a majority of etcd members is down', 'crictl ps -a --name etcd'],
    ['etcd-quorum-lost', { quorum: 'lost' }, 'k3s', 'a majority of etcd members is down', 'systemctl status k3s'],
    ['etcd-quorum-lost', { quorum: 'lost' }, 'talos', 'a majority of etcd members is down', 'talosctl -n 10.0.0.12 service etcd'],
    [
      'etcd-quorum-at-risk',
      { quorum: 'present' },
      'kubeadm',
      'a member is down or unreachable',
      'restore the missing member before any maintenance (no rolling reboot now!)',
    ],
    ['etcd-member-unreachable', { quorum: 'lost' }, 'kubeadm', 'this member is one of a majority that is down', 'crictl ps -a --name etcd'],
    ['etcd-member-unreachable', { quorum: 'present' }, 'kubeadm', 'the member process or its host is down', 'crictl ps -a --name etcd'],
    ['etcd-member-unreachable', undefined, 'rke2', 'the member process or its host is down', 'systemctl status rke2-server'],
    ['etcd-db-near-quota', undefined, 'kubeadm', 'many objects or much history', `${RUN_ETCDCTL} endpoint status -w table   # DB SIZE`],
    ['etcd-db-near-quota', { alarm: 'nospace' }, 'kubeadm', 'the database reached its quota and etcd raised NOSPACE', `${RUN_ETCDCTL} alarm list`],
    ['etcd-alarm-nospace', undefined, 'kubeadm', 'the database reached its quota', `${RUN_ETCDCTL} alarm list`],
    ['etcd-backup-missing', undefined, 'k3s', 'the backup folder does not exist or is empty', 'k3s etcd-snapshot save'],
    ['etcd-backup-stale', undefined, 'talos', 'the backup job', 'talosctl -n 10.0.0.12 etcd snapshot <snapshot-file>'],
    ['port-refused', { tcp: 'refused', listener: 'etcd-client' }, 'kubeadm', 'etcd on that host is down or crash-looping', 'crictl ps -a --name etcd'],
    ['port-refused', { tcp: 'refused', listener: 'etcd-peer' }, 'k3s', 'etcd on that host is down or crash-looping', 'systemctl status k3s'],
    ['port-refused', { tcp: 'refused', listener: 'kube-apiserver' }, 'kubeadm', 'kube-apiserver on that host is down', 'crictl ps -a --name kube-apiserver'],
    [
      'port-refused',
      { tcp: 'refused', listener: 'kubelet' },
      'kubeadm',
      'the kubelet on that node is stopped',
      'systemctl status kubelet   # on 10.0.0.12; k3s: k3s or k3s-agent, RKE2: rke2-server or rke2-agent',
    ],
    ['port-refused', { tcp: 'refused', listener: 'kubelet' }, 'talos', 'the kubelet service on that node', 'talosctl -n 10.0.0.12 service kubelet'],
    [
      'port-refused',
      { tcp: 'refused', listener: 'nodeport' },
      'kubeadm',
      'kube-proxy is not running on that node',
      'kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide',
    ],
    ['port-timeout', { tcp: 'timeout', listener: 'etcd-client' }, 'kubeadm', 'a firewall drops packets to 2379/2380', 'nc -vz -w 3 10.0.0.12 2379'],
    ['port-timeout', { tcp: 'timeout', listener: 'kubelet' }, 'kubeadm', 'a firewall drops packets to 10250', 'nc -vz -w 3 10.0.0.12 10250'],
    ['port-timeout', { tcp: 'timeout', listener: 'other' }, 'kubeadm', 'a firewall drops the packets', 'nc -vz -w 3 10.0.0.12 2379'],
  ];
  it.each(table)('%s with %j on %s', (code, evidence, distribution, cause, step) => {
    const about: About = { ...MEMBER, host: '10.0.0.12', port: 2379, ...(evidence ? { evidence } : {}) };
    const r = reported(code, about, { ...(distribution ? { distribution } : {}), etcd: ACCESS });
    expect(r.causes![0]).toMatch(new RegExp(`^${cause.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(r.steps![0]!.text).toBe(step);
  });
});

describe('no step that cannot work in the state observed', () => {
  it('with quorum lost, no member is removed: the way back is the members or a restore', () => {
    for (const code of ['etcd-quorum-lost', 'etcd-member-unreachable'] as const) {
      for (const distribution of ['kubeadm', 'k3s', 'rke2', 'talos', 'openshift'] as const) {
        const steps = texts(reported(code, { ...MEMBER, evidence: { quorum: 'lost' } }, { distribution }));
        expect(steps.join('\n'), `${code} ${distribution}`).not.toMatch(/member remove|remove-member|member add/);
      }
    }
    expect(texts(reported('etcd-quorum-lost', { evidence: { quorum: 'lost' } }, { distribution: 'k3s' }))).toContain(
      'k3s server --cluster-reset --cluster-reset-restore-path=<snapshot-file>',
    );
    expect(texts(reported('etcd-quorum-lost', { evidence: { quorum: 'lost' } }, { distribution: 'talos' }))).toContain(
      'talosctl -n <node-ip> bootstrap --recover-from=<snapshot-file>',
    );
    expect(
      texts(reported('etcd-quorum-lost', { evidence: { quorum: 'lost' } }, { distribution: 'kubeadm' })).some((t) => t.startsWith('etcdutl snapshot restore')),
    ).toBe(true);
  });

  it('with quorum kept and the member named, its removal is the distribution command filled with its id', () => {
    expect(texts(reported('etcd-member-unreachable', { ...MEMBER, evidence: { quorum: 'present' } }, { distribution: 'kubeadm' }))).toContain(
      `${KUBEADM_ETCDCTL} member remove 8e9e05c52164694d`,
    );
    expect(texts(reported('etcd-member-unreachable', { ...MEMBER, host: '10.0.0.11', evidence: { quorum: 'present' } }, { distribution: 'talos' }))).toContain(
      'talosctl -n 10.0.0.11 etcd remove-member 8e9e05c52164694d',
    );
  });

  it('a refused etcd or kubelet port never gets NodePort or kube-proxy advice', () => {
    for (const listener of ['etcd-client', 'etcd-peer', 'kubelet', 'kube-apiserver'] as const) {
      const r = reported('port-refused', { host: '10.0.0.12', port: 2379, evidence: { tcp: 'refused', listener } }, { distribution: 'kubeadm' });
      expect([...r.causes!, ...texts(r)].join('\n'), listener).not.toMatch(/kube-proxy|NodePort/i);
    }
  });

  it('a raised NOSPACE shows its symptom, not "nothing yet"', () => {
    const r = reported('etcd-db-near-quota', { ...MEMBER, evidence: { alarm: 'nospace' } });
    expect(r.symptom).toContain('etcdserver: mvcc: database space exceeded');
    expect(r.variant).toBe('NOSPACE raised');
    expect(reported('etcd-db-near-quota', MEMBER).symptom).toMatch(/nothing shows yet/);
  });

  it('defragments one member at a time: never --cluster, always that member alone', () => {
    for (const code of ALL_CODES) {
      const entry = entryFor(code);
      for (const step of [...entry.fix, ...(entry.variants ?? []).flatMap((v) => v.fix ?? [])]) expect(step, code).not.toMatch(/defrag.*--cluster/);
    }
    const steps = texts(reported('etcd-db-fragmented', MEMBER, { etcd: ACCESS }));
    expect(steps).toContain(
      "etcdctl --endpoints=https://10.0.0.12:2379 --cacert='/tmp/my pki/etcd/ca.crt' --cert=certs/client.crt --key=certs/client.key defrag   # this member; then each other member in turn, the leader last",
    );
  });
});

describe('etcdctl lines', () => {
  it('carry exactly the endpoints and files the run used, shell-quoted, and parse', () => {
    const r = reported('etcd-quorum-at-risk', { evidence: { quorum: 'present' } }, { distribution: 'kubeadm', etcd: ACCESS });
    const line = r.steps!.find((s) => s.text.startsWith('etcdctl'))!;
    expect(line).toEqual({ kind: 'command', text: `${RUN_ETCDCTL} member list -w table   # the member that is missing, its id and URLs`, filled: true });
    expect(spawnSync('bash', ['-n'], { input: line.text }).status).toBe(0);
    // Only paths: the key's contents never reach a step.
    expect(JSON.stringify(r)).not.toContain('PRIVATE KEY');
  });

  it("without the run's credentials: the distribution's etcdctl on a control-plane node", () => {
    const kubeadm = texts(reported('etcd-quorum-at-risk', { evidence: { quorum: 'present' } }, { distribution: 'kubeadm' }));
    expect(kubeadm).toContain(`${KUBEADM_ETCDCTL} member list -w table   # on a control-plane node: the member that is missing, its id and URLs`);
    const k3s = texts(reported('etcd-alarm-nospace', {}, { distribution: 'k3s' }));
    expect(k3s[0]).toBe(
      'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt --cert=/var/lib/rancher/k3s/server/tls/etcd/client.crt --key=/var/lib/rancher/k3s/server/tls/etcd/client.key alarm list   # on a control-plane node',
    );
    // A single member's line asks that member, with the node's own certificate.
    const one = texts(reported('etcd-db-fragmented', MEMBER, { distribution: 'kubeadm' }));
    expect(one).toContain(
      `${KUBEADM_ETCDCTL.replace('https://127.0.0.1:2379', 'https://10.0.0.12:2379')} defrag   # on a control-plane node: this member; then each other member in turn, the leader last`,
    );
  });

  it('a distribution without etcdctl on its nodes gets its own tool instead, a managed one nothing of etcd membership', () => {
    const talos = texts(reported('etcd-quorum-at-risk', { host: '10.0.0.11', evidence: { quorum: 'present' } }, { distribution: 'talos' }));
    expect(talos.some((t) => t.includes('etcdctl'))).toBe(false);
    expect(talos).toContain('talosctl -n 10.0.0.11 service etcd');
    const eks = reported('etcd-member-unreachable', { ...MEMBER, evidence: { quorum: 'present' } }, { distribution: 'eks' });
    // The provider's status of the cluster, and no etcd membership command.
    const commands = eks.steps!.filter((s) => s.kind === 'command').map((s) => s.text);
    expect(commands).toEqual(['aws eks describe-cluster --name <cluster> --query cluster.status']);
  });
});

describe('one of N lost', () => {
  it('a machine-level component down is crit alike; its effect on the cluster is graded apart', () => {
    expect([severityOf('apiserver-refused'), severityOf('etcd-member-unreachable'), severityOf('kubelet-unreachable')]).toEqual(['crit', 'crit', 'crit']);
    // Redundancy spent but the cluster works: warn; redundancy gone: crit.
    expect([severityOf('etcd-quorum-at-risk'), severityOf('control-plane-not-ha'), severityOf('etcd-quorum-lost')]).toEqual(['warn', 'warn', 'crit']);
  });
});
