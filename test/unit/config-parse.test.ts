// The config file's reader: every flag key derived from the option table, the sections,
// and every way a file can be wrong, each naming the file, the line and the key.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse.js';
import { CHECK_OPTIONS } from '../../src/options.js';
import { UsageError } from '../../src/errors.js';

const FILE = '/etc/k8sdoc/.k8sdoc.yaml';

function rejects(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted:\n${text}`);
}

describe('config file: flag defaults', () => {
  it('takes every check flag by its long name, as the raw value commander would pass', () => {
    const config = parseConfig(
      [
        'kubeconfig: /srv/admin.conf',
        'context: prod',
        'apiserver: [https://10.0.0.1:6443, https://10.0.0.2:6443]',
        'etcd: https://10.0.0.1:2379',
        'pki-dir: pki',
        'backup-max-age: 2h',
        'etcd-quota: 8589934592',
        'node-conditions: [KernelDeadlock]',
        'only:',
        '  - etcd',
        '  - certs',
        'output: junit',
        'timeout: 5',
        'concurrency: 8',
        'warn-days: 20',
        'fail-on: warn',
        'no-color: true',
        'insecure-skip-tls-verify: false',
        'wait: 5m',
      ].join('\n'),
      FILE,
    );
    expect(config.defaults).toEqual({
      kubeconfig: '/srv/admin.conf',
      context: 'prod',
      apiserver: 'https://10.0.0.1:6443,https://10.0.0.2:6443',
      etcd: 'https://10.0.0.1:2379',
      pkiDir: '/etc/k8sdoc/pki',
      backupMaxAge: '2h',
      etcdQuota: '8589934592',
      nodeConditions: 'KernelDeadlock',
      only: 'etcd,certs',
      output: 'junit',
      timeout: '5',
      concurrency: '8',
      warnDays: '20',
      failOn: 'warn',
      color: false,
      insecureSkipTlsVerify: false,
      wait: '5m',
    });
    expect(config.lines).toMatchObject({ kubeconfig: 1, only: 9, wait: 19 });
  });

  it('knows a key for every option of check except --config itself and --plugin (its section is plugins:)', () => {
    const keys = CHECK_OPTIONS.filter((o) => o.name !== 'config' && o.name !== 'plugin').map((o) => /--([a-z0-9-]+)/.exec(o.flags)![1]!);
    for (const key of keys) {
      expect(rejects(`${key}: {}`), key).not.toMatch(/unknown key/);
    }
    expect(rejects('config: other.yaml')).toBe(`config file ${FILE} line 1: 'config' cannot be set in a config file; pass --config on the command line`);
  });

  it('an empty file or one with only comments configures nothing', () => {
    expect(parseConfig('', FILE).defaults).toEqual({});
    expect(parseConfig('# nothing yet\n', FILE).ignores).toEqual([]);
  });
});

describe('config file: severity and ignore', () => {
  it('reads severity overrides and ignore rules with their reasons', () => {
    const config = parseConfig(
      [
        'severity:',
        '  etcd-backup-stale: crit',
        '  cert-expiring: warn',
        'ignore:',
        '  - code: cert-expiring',
        '    subjects: ["/etc/kubernetes/pki/front-proxy-*"]',
        '    reason: front-proxy is rotated by the vendor agent on Mondays',
        '  - code: node-not-ready',
        "    subjects: '*'",
        '    reason: lab cluster, nodes come and go',
      ].join('\n'),
      FILE,
    );
    expect([...config.severity]).toEqual([
      ['etcd-backup-stale', 'crit'],
      ['cert-expiring', 'warn'],
    ]);
    expect(config.ignores).toEqual([
      { code: 'cert-expiring', subjects: ['/etc/kubernetes/pki/front-proxy-*'], reason: 'front-proxy is rotated by the vendor agent on Mondays', line: 5 },
      { code: 'node-not-ready', subjects: ['*'], reason: 'lab cluster, nodes come and go', line: 8 },
    ]);
  });
});

describe('config file errors name the file, the line and the key', () => {
  const cases: [string, string, string][] = [
    ['unknown key, with a suggestion', 'timeout: 3s\ntimout: 5s\n', "line 2: unknown key 'timout' (did you mean 'timeout'?)"],
    [
      'unknown key, nothing close',
      'colour-scheme: dark\n',
      "line 1: unknown key 'colour-scheme'; keys are check's long flag names, 'severity', 'ignore' and 'plugins'",
    ],
    ['a key set twice', 'fail-on: warn\noutput: json\nfail-on: crit\n', "line 3: 'fail-on' is set twice (first on line 1); keep one"],
    ['duration of the wrong type', 'timeout: [3s]\n', "line 1: 'timeout' must be a duration like 500ms, 3s or 1h, not a list"],
    ['duration that does not parse', '\n\nwait: soon\n', "line 3: 'wait': 'soon' is not a duration"],
    ['number given as text', 'concurrency: "eight"\n', "line 1: 'concurrency' must be a whole number, not 'eight'"],
    ['number with a fraction', 'warn-days: 2.5\n', "line 1: 'warn-days' must be a whole number, not number 2.5"],
    ['choice outside its list', 'output: yaml\n', "line 1: 'output' must be one of table, json, junit, prometheus, wide, markdown, html, not 'yaml'"],
    ['boolean given as text', 'no-color: "yes"\n', "line 1: 'no-color' must be true or false, not 'yes'"],
    ['list with a mapping in it', 'only:\n  - etcd\n  - {certs: true}\n', "line 3: 'only' entries must be strings, not a mapping"],
    ['path left empty', 'kubeconfig:\n', "line 1: 'kubeconfig' must be a path, not empty"],
    ['the file is a list', '- timeout: 3s\n', 'line 1: the file must be a mapping of flag names and sections, not a list'],
    ['not YAML at all', 'only: [etcd\n', 'line 1: not valid YAML'],
    ['severity not a mapping', 'severity: crit\n', "line 1: 'severity' must map catalogue codes to warn or crit, not 'crit'"],
    ['severity of an unknown code', 'severity:\n  etcd-on-fire: crit\n', "line 2: severity: 'etcd-on-fire' is not a catalogue code"],
    ['severity level unknown', 'severity:\n  etcd-backup-stale: fatal\n', "line 2: severity of 'etcd-backup-stale' must be warn or crit, not 'fatal'"],
    ['ignore not a list', 'ignore: cert-expiring\n', "line 1: 'ignore' must be a list of entries with code, subjects and reason"],
    [
      'ignore entry without a reason',
      'ignore:\n  - code: cert-expiring\n    subjects: ["*"]\n',
      "line 2: an 'ignore' entry needs 'reason': say why the finding is accepted",
    ],
    [
      'ignore entry with an empty reason',
      'ignore:\n  - code: cert-expiring\n    subjects: ["*"]\n    reason: ""\n',
      "line 4: 'reason' must be a non-empty sentence, not ''",
    ],
    [
      'ignore entry without subjects',
      'ignore:\n  - code: cert-expiring\n    reason: known\n',
      "line 2: an 'ignore' entry needs 'subjects': list the subjects, or '*' for all of them",
    ],
    [
      'ignore entry with an unknown code',
      'ignore:\n  - code: cert-sad\n    subjects: ["*"]\n    reason: known\n',
      "line 2: 'cert-sad' is not a catalogue code",
    ],
    [
      'ignore entry with a misspelt key',
      'ignore:\n  - code: cert-expiring\n    subject: ["*"]\n    reason: known\n',
      "line 3: unknown key 'subject' in an 'ignore' entry (did you mean 'subjects'?)",
    ],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => {
      const got = rejects(text);
      expect(got.startsWith(`config file ${FILE} `)).toBe(true);
      expect(got).toContain(message);
      expect(got).not.toContain('\n');
    });
  }
});

describe('config file: plugins', () => {
  it('resolves plugin paths against the file and keeps package names; plugin codes wait for the plugins to load', () => {
    const config = parseConfig(
      'plugins:\n  - ./rules/ingress.yaml\n  - k8sdoc-plugin-cert-manager\nseverity:\n  acme/too-few-workers: crit\n',
      '/etc/k8sdoc/config.yaml',
    );
    expect(config.plugins).toEqual(['/etc/k8sdoc/rules/ingress.yaml', 'k8sdoc-plugin-cert-manager']);
    expect(config.severity.get('acme/too-few-workers' as never)).toBe('crit');
    expect(config.pluginLines?.['code:acme/too-few-workers']).toBe(5);
  });

  it('refuses plugins that are not a list of names', () => {
    expect(() => parseConfig('plugins: ./one.mjs\n', '/x/c.yaml')).toThrow(
      "config file /x/c.yaml line 1: 'plugins' must be a list of plugin paths or package names, not './one.mjs'",
    );
  });
});
