// The report header's shape line: what built the cluster, its datastore, where k8sdoc stood
// and what that was read from, in the table and in Markdown, from shapes that inference
// really produces.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { clusterLine } from '../../src/render/cluster-line.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/table.js';
import { inferShape, type ShapeEvidence } from '../../src/shape/infer.js';
import type { PodFacts } from '../../src/shape/types.js';
import { fixedReport } from '../helpers/fixed-report.js';

const NODES = ['cp-1', 'cp-2', 'cp-3'].map((name, i) => ({
  name,
  labels: { 'node-role.kubernetes.io/control-plane': '' },
  addresses: [{ type: 'InternalIP', address: `10.0.1.${11 + i}` }],
  kubeletVersion: 'v1.32.0',
}));

/** kube-system pods as kubeadm writes them: the annotations, tier=control-plane, a loopback --etcd-servers. */
function kubeadmPods(): PodFacts[] {
  return NODES.flatMap((n, i): PodFacts[] => {
    const ip = `10.0.1.${11 + i}`;
    return [
      {
        namespace: 'kube-system',
        name: `kube-apiserver-${n.name}`,
        nodeName: n.name,
        hostIP: ip,
        labels: { component: 'kube-apiserver', tier: 'control-plane' },
        annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
        containers: [{ command: ['kube-apiserver', `--advertise-address=${ip}`, '--etcd-servers=https://127.0.0.1:2379'] }],
      },
      {
        namespace: 'kube-system',
        name: `etcd-${n.name}`,
        nodeName: n.name,
        hostIP: ip,
        labels: { component: 'etcd', tier: 'control-plane' },
        annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
        containers: [{ command: ['etcd', `--advertise-client-urls=https://${ip}:2379`, `--name=${n.name}`] }],
      },
    ];
  });
}

function withShape(evidence: ShapeEvidence, report: Report = fixedReport()): Report {
  return { ...report, cluster: inferShape(evidence) };
}

describe('the shape line', () => {
  const kubeadm = withShape({ nodes: NODES, pods: kubeadmPods(), gitVersion: 'v1.32.0', server: 'https://10.0.1.10:6443' });

  it('names distribution, datastore with its member count, vantage and the sources read', () => {
    expect(clusterLine(kubeadm)).toBe('Cluster: kubeadm · stacked etcd (3 members) · seen from a jump host  (from: pod annotations, pod labels, etcd pods)');
  });

  it('says when --distribution set the distribution instead of the guess', () => {
    const forced = withShape({ nodes: NODES, pods: kubeadmPods(), override: { distribution: 'rke2' } });
    expect(clusterLine(forced)).toMatch(/^Cluster: RKE2 \(set by --distribution\) · /);
    expect(clusterLine(forced)).not.toContain('--distribution,');
  });

  it('says there is no etcd for a datastore without one, and no member count', () => {
    const k3s = withShape({
      nodes: [{ name: 'server-1', labels: { 'node.kubernetes.io/instance-type': 'k3s' }, annotations: { 'k3s.io/node-args': '["server"]' } }],
      gitVersion: 'v1.31.4+k3s1',
    });
    expect(clusterLine(k3s)).toBe('Cluster: k3s · kine over SQLite (no etcd) · seen from a jump host  (from: /version, node labels, node annotations)');
  });

  it('names the control-plane node k8sdoc runs on, made safe for a terminal', () => {
    const report = { ...kubeadm, cluster: { ...kubeadm.cluster!, vantage: 'control-plane-node', localNode: 'cp-1\u001b]0;owned\u0007' } };
    const line = clusterLine(report)!;
    expect(line).toContain('seen from control-plane node cp-1');
    expect([...line].filter((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)).toEqual([]);
  });

  it('is absent when the report carries no shape (an older report, a run that could not tell)', () => {
    expect(clusterLine(fixedReport())).toBeNull();
    expect(renderTable(fixedReport(), { color: false, width: 120 })).not.toContain('Cluster:');
    expect(renderMarkdown(fixedReport())).not.toContain('Cluster:');
  });
});

describe('the shape line in the renderers', () => {
  it('table: under the verdict, which stays the first line after the header', () => {
    const lines = renderTable(kubeadmReport(), { color: false, width: 120 }).split('\n');
    expect(lines[1]).toMatch(/^CRIT {2}most likely cause: etcd-quorum-lost/);
    const at = lines.findIndex((l) => l.startsWith('Cluster: '));
    expect(at).toBeGreaterThan(1);
    expect(lines[at]).toBe('Cluster: kubeadm · stacked etcd (3 members) · seen from a jump host  (from: pod annotations, pod labels, etcd pods)');
    // Before the first table.
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('CHECK ')));
  });

  it('table: wraps under itself on a narrow terminal', () => {
    const lines = renderTable(kubeadmReport(), { color: false, width: 60 }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Cluster: '));
    expect(lines[at + 1]).toMatch(/^ {2}\S/);
    expect([lines[at]!, lines[at + 1]!].every((l) => l.length <= 60)).toBe(true);
    expect(`${lines[at]} ${lines[at + 1]!.trim()}`).toContain('seen from a jump host');
  });

  it('table: --problems-only leaves it out with the other header lines', () => {
    expect(renderTable(kubeadmReport(), { color: false, width: 120, problemsOnly: true })).not.toContain('Cluster:');
  });

  it('markdown: a paragraph under the target line, its punctuation escaped', () => {
    const md = renderMarkdown(kubeadmReport());
    const lines = md.split('\n');
    expect(lines[2]).toMatch(/^context prod · /);
    expect(lines[4]).toBe('Cluster: kubeadm · stacked etcd \\(3 members\\) · seen from a jump host  \\(from: pod annotations, pod labels, etcd pods\\)');
  });
});

function kubeadmReport(): Report {
  return withShape({ nodes: NODES, pods: kubeadmPods(), gitVersion: 'v1.32.0', server: 'https://10.0.1.10:6443' });
}
