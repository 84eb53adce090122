import { describe, expect, it } from 'vitest';
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
      expect(
        entry.fix.some((f) => isCommand(f)),
        code,
      ).toBe(true);
    }
  });
});
