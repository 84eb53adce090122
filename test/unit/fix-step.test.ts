import { describe, expect, it } from 'vitest';
import { isVocabularyStep } from '../../src/catalogue/fill.js';
import { isCommand } from '../../src/catalogue/fix-step.js';
import { ENTRIES } from '../../src/catalogue/entries.js';

describe('fix steps', () => {
  it.each([
    ['journalctl -u kube-apiserver --since -1h', true],
    ['crictl ps -a | grep kube-apiserver && crictl logs <container-id>', true],
    ['rev=$(etcdctl endpoint status -w json | grep -o \'"revision":[0-9]*\')', true],
    ['uptime; top -b -n1 | head -20', true],
    ['bring the stopped members back first: systemctl start etcd', false],
    ['only if a majority is permanently lost: restore from a snapshot', false],
  ])('%s is a command: %s', (step, command) => {
    expect(isCommand(step)).toBe(command);
  });

  it('every entry has at least one real command to run, the first step of most of them', () => {
    for (const [code, entry] of Object.entries(ENTRIES)) {
      // A distribution template (`@logs kube-apiserver`) is commands once filled in.
      expect(
        entry.fix.some((f) => isCommand(f) || isVocabularyStep(f)),
        code,
      ).toBe(true);
    }
  });

  it.each([
    ['k3s: systemctl stop k3s; k3s certificate rotate; systemctl start k3s', false],
    ['on k3s: stop k3s, run k3s certificate rotate, start k3s again', false],
    ['talosctl -n 10.0.0.11 etcd members', true],
    ['rke2 certificate rotate', true],
    ['microk8s inspect', true],
    ['oc get clusteroperators', true],
    ['aws eks describe-cluster --name prod', true],
  ])('tells a tool named in prose from a command line: %s', (step, command) => {
    expect(isCommand(step)).toBe(command);
  });

  it('no command step of the catalogue carries prose after it (where to run it goes in a # comment)', () => {
    const prose = Object.values(ENTRIES).flatMap((e) => e.fix.filter((f) => isCommand(f) && / on the (node|host)\b/.test(f.split('#')[0]!)));
    expect(prose).toEqual([]);
  });
});
