// The catalogue's words follow the evidence and the distribution: a variant replaces the
// entry's causes and steps when its condition holds, and `@` steps become the commands of
// the cluster's distribution. Every step of every entry, variant and distribution that the
// run could fill must be a line a shell accepts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, entryFor } from '../../../src/catalogue/index.js';
import type { Entry } from '../../../src/catalogue/entry.js';
import { expandVocabulary, fillSteps, isVocabularyStep } from '../../../src/catalogue/fill.js';
import { resolveEntry } from '../../../src/catalogue/resolve.js';
import { reportOne } from '../../helpers/report-one.js';
import type { About } from '../../../src/engine/types.js';
import { DISTRIBUTIONS } from '../../../src/shape/types.js';

const ENTRY: Entry = {
  component: 'apiserver',
  title: 't',
  severity: 'crit',
  symptom: 'default symptom',
  causes: ['default cause'],
  fix: ['@logs kube-apiserver', 'nc -vz -w 3 <host> 6443'],
  keywords: [],
  variants: [
    {
      when: { tcp: 'connected', tls: ['alert', 'not-tls'] },
      label: 'TCP connected, TLS failed',
      causes: ['not a firewall'],
      fix: ['openssl s_client -connect <host>:6443'],
    },
    { when: { distribution: 'k3s' }, label: 'on k3s', causes: ['k3s cause'] },
  ],
};

describe('resolveEntry', () => {
  it('keeps the entry when no variant holds', () => {
    expect(resolveEntry(ENTRY, { evidence: { tcp: 'timeout' } }, 'kubeadm')).toEqual({ symptom: 'default symptom', causes: ['default cause'], fix: ENTRY.fix });
  });

  it('takes the first variant whose every key holds, a list meaning any of its values', () => {
    const r = resolveEntry(ENTRY, { evidence: { tcp: 'connected', tls: 'not-tls' } }, 'k3s');
    expect(r.variant).toBe('TCP connected, TLS failed');
    expect(r.causes).toEqual(['not a firewall']);
    expect(r.symptom).toBe('default symptom');
  });

  it('a key not observed does not hold', () => {
    expect(resolveEntry(ENTRY, { evidence: { tcp: 'connected' } }, undefined).variant).toBeUndefined();
  });

  it('matches the distribution, keeping the fix a variant does not give', () => {
    const r = resolveEntry(ENTRY, undefined, 'k3s');
    expect(r).toMatchObject({ variant: 'on k3s', causes: ['k3s cause'], fix: ENTRY.fix });
  });
});

describe('distribution templates', () => {
  it('are the commands of the run distribution, with the program named', () => {
    expect(expandVocabulary(['@logs kube-apiserver'], 'k3s')).toEqual(['journalctl -u k3s']);
    expect(expandVocabulary(['@logs kube-apiserver'], 'kubeadm')[0]).toBe('crictl logs --tail 100 $(crictl ps -a --name kube-apiserver -q | head -n1)');
    expect(expandVocabulary(['@etcd-members'], 'talos')).toEqual(['talosctl -n <node-ip> etcd members']);
    // A managed control plane has no etcd membership to show: no step at all.
    expect(expandVocabulary(['@etcd-members'], 'eks')).toEqual([]);
  });

  it('fall back to kubeadm (static pods) when the distribution is not known', () => {
    expect(expandVocabulary(['@status etcd'], 'unknown')).toEqual(expandVocabulary(['@status etcd'], 'kubeadm'));
  });

  it('fills the node address of a Talos step from the finding', () => {
    const steps = fillSteps(['@etcd-members'], 'etcd', { host: '10.0.0.11' }, { distribution: 'talos' });
    expect(steps).toEqual([{ kind: 'command', text: 'talosctl -n 10.0.0.11 etcd members', filled: true }]);
  });

  it('reach the report: JSON steps carry the distribution commands and the variant chosen', () => {
    const result = reportOne('apiserver-refused', { host: '10.0.0.11', port: 6443 }, { distribution: 'k3s', datastore: 'kine-sqlite' });
    const texts = result.steps!.map((s) => s.text);
    expect(texts).toContain('journalctl -u k3s');
    expect(texts.some((t) => t.startsWith('crictl logs'))).toBe(false);
  });
});

// A finding with every value a step may ask for, so that as many steps as possible are filled.
const FULL: About = {
  node: 'worker-2',
  host: '10.0.0.12',
  port: 6443,
  endpoint: 'https://10.0.0.12:2379',
  member: { id: '8e9e05c52164694d', name: 'cp-2', clientURLs: ['https://10.0.0.12:2379'] },
  certificate: { serial: '1', issuer: 'ca', role: 'apiserver-serving', path: '/etc/kubernetes/pki/apiserver.crt' },
};

describe('every entry', () => {
  const lines: { where: string; text: string }[] = [];
  for (const code of ALL_CODES) {
    const entry = entryFor(code);
    const fixes = [{ label: 'entry', fix: entry.fix }, ...(entry.variants ?? []).filter((v) => v.fix).map((v) => ({ label: v.label, fix: v.fix! }))];
    for (const { label, fix } of fixes)
      for (const distribution of DISTRIBUTIONS)
        for (const step of fillSteps(fix, entry.component, FULL, { distribution }))
          if (step.kind === 'command' && step.filled) lines.push({ where: `${code} (${label}, ${distribution})`, text: step.text });
  }

  it('uses only template verbs that exist', () => {
    for (const code of ALL_CODES) {
      const entry = entryFor(code);
      for (const step of [...entry.fix, ...(entry.variants ?? []).flatMap((v) => v.fix ?? [])])
        if (isVocabularyStep(step)) expect(() => expandVocabulary([step], 'kubeadm'), `${code}: ${step}`).not.toThrow();
    }
  });

  it('gives variants labels of their own', () => {
    for (const code of ALL_CODES) {
      const labels = (entryFor(code).variants ?? []).map((v) => v.label);
      expect(new Set(labels).size, code).toBe(labels.length);
    }
  });

  it('prints filled commands a shell parses as written', () => {
    expect(lines.length).toBeGreaterThan(100);
    const unique = [...new Map(lines.map((l) => [l.text, l])).values()];
    const parses = (part: typeof unique) => spawnSync('bash', ['-n'], { input: part.map((l) => l.text).join('\n') + '\n' }).status === 0;
    // One `bash -n` over all the lines; halves of a failing set until each bad line stands alone.
    const bad = (part: typeof unique): string[] => {
      if (part.length === 0 || parses(part)) return [];
      if (part.length === 1) return [`${part[0]!.where}: ${part[0]!.text}`];
      const half = Math.ceil(part.length / 2);
      return [...bad(part.slice(0, half)), ...bad(part.slice(half))];
    };
    expect(bad(unique)).toEqual([]);
  });
});
