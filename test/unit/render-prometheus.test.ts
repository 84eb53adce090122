// The Prometheus exposition as alert rules read it: series whose labels never change with the
// outcome, the code beside them as info, units in the names, and a parseable text.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';
import { DERIVED_FAMILY_NAMES } from '../../src/render/prometheus-families.js';
import { renderPrometheus } from '../../src/render/prometheus.js';
import { fixedReport } from '../helpers/fixed-report.js';

const text = renderPrometheus(fixedReport());
const lines = text.trim().split('\n');

describe('prometheus renderer', () => {
  it('exposes each result as a state set without the code, and the code as a separate info series', () => {
    const quorum = lines.filter((l) => l.startsWith('k8sdoc_check_status{check="etcd-quorum"'));
    expect(quorum).toEqual(
      ['ok', 'warn', 'crit', 'skip', 'error'].map(
        (s) => `k8sdoc_check_status{check="etcd-quorum",component="etcd",subject="etcd",status="${s}"} ${s === 'crit' ? 1 : 0}`,
      ),
    );
    expect(text).not.toMatch(/k8sdoc_check_status\{[^}]*code=/);
    expect(text).toContain('k8sdoc_finding_info{check="etcd-quorum",component="etcd",subject="etcd",code="etcd-quorum-lost"} 1');
    expect(text).not.toMatch(/k8sdoc_finding_info\{check="ports"/);
  });

  it('has the run figures: build info, when the run ended, its verdict as a state set', () => {
    expect(text).toMatch(/^k8sdoc_build_info\{version="0\.1\.0",nodejs_version="[\d.]+",schema_version="1"\} 1$/m);
    expect(text).toContain(`k8sdoc_last_run_timestamp_seconds ${(Date.parse('2026-11-25T10:00:00Z') + 412) / 1000}`);
    expect(text).toContain('k8sdoc_run_duration_seconds 0.412');
    expect(text).toContain('k8sdoc_run_status{status="crit"} 1');
    expect(text).toContain('k8sdoc_run_status{status="ok"} 0');
    expect(text).toContain('k8sdoc_root_cause_info{code="etcd-quorum-lost",subject="etcd",rank="1"} 1');
  });

  it('names measurements with their unit and never turns a port or a count of days into a value', () => {
    expect(text).toContain('k8sdoc_etcd_healthy_members 1');
    expect(text).toContain('k8sdoc_etcd_failure_tolerance -1');
    expect(text).not.toMatch(/ 6443$/m);
    expect(text).not.toContain('result_value');
    expect(text).not.toContain('days_left');
    for (const name of DERIVED_FAMILY_NAMES) expect(name).toMatch(/^k8sdoc_[a-z0-9_]+$/);
    for (const name of DERIVED_FAMILY_NAMES.filter((n) => /duration|age|expiry|seconds|p99|median|max|threshold/.test(n))) expect(name).toMatch(/_seconds$/);
    for (const name of DERIVED_FAMILY_NAMES.filter((n) => /size|quota/.test(n))) expect(name).toMatch(/_bytes$/);
  });

  it('adds host, node and member labels where a result names them, and converts milliseconds to seconds', () => {
    const extra: Result[] = [
      {
        check: 'kubelet',
        component: 'kubelet',
        subject: 'kubelet w1',
        status: 'ok',
        message: 'answers',
        durationMs: 5,
        data: { node: 'w1', host: '10.0.0.21', port: 10250, tcpMs: 12, tlsMs: 30 },
      },
      {
        check: 'etcd-db-size',
        component: 'etcd',
        subject: 'etcd',
        status: 'ok',
        message: 'fine',
        durationMs: 5,
        data: { members: [{ member: 'm1', dbSize: 2048, dbSizeInUse: 1024, quotaBytes: 2147483648 }] },
      },
      {
        check: 'etcd-members',
        component: 'etcd',
        subject: 'etcd member m1',
        status: 'ok',
        message: 'answers',
        durationMs: 5,
        data: { name: 'm1', raftIndex: '42', ms: 7, isLearner: false },
      },
      {
        check: 'nodes-ready',
        component: 'nodes',
        subject: 'node w1',
        status: 'crit',
        code: 'node-not-ready',
        message: 'NotReady',
        durationMs: 5,
        data: { node: 'w1', host: '10.0.0.21', ready: 'Unknown' },
      },
    ];
    const t = renderPrometheus(fixedReport(extra));
    expect(t).toContain('k8sdoc_tcp_connect_duration_seconds{check="kubelet",subject="kubelet w1",host="10.0.0.21",node="w1",port="10250"} 0.012');
    expect(t).toContain('k8sdoc_tls_handshake_duration_seconds{check="kubelet",subject="kubelet w1",host="10.0.0.21",node="w1",port="10250"} 0.03');
    expect(t).toContain('k8sdoc_check_info{check="kubelet",component="kubelet",subject="kubelet w1",host="10.0.0.21",node="w1"} 1');
    expect(t).toContain('k8sdoc_etcd_db_size_bytes{member="m1"} 2048');
    expect(t).toContain('k8sdoc_etcd_quota_bytes{member="m1"} 2147483648');
    expect(t).toContain('k8sdoc_etcd_raft_index{member="m1"} 42');
    expect(t).toContain('k8sdoc_etcd_member_status_duration_seconds{member="m1"} 0.007');
    expect(t).toContain('k8sdoc_node_ready{node="w1",host="10.0.0.21"} 0');
  });

  it('one series per label set: a subject reported twice shows its worst status, each code once', () => {
    const alarm = (member: string, status: 'ok' | 'crit'): Result => ({
      check: 'etcd-alarms',
      component: 'etcd',
      subject: 'etcd',
      status,
      ...(status === 'crit' ? { code: 'etcd-alarm-nospace' as const } : {}),
      message: 'NOSPACE',
      durationMs: 1,
      data: { alarm: 'NOSPACE', member },
    });
    const t = renderPrometheus(fixedReport([alarm('m1', 'crit'), alarm('m2', 'crit')]));
    const series = t
      .split('\n')
      .filter((l) => !l.startsWith('#') && l !== '')
      .map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(new Set(series).size).toBe(series.length);
    expect(t).toContain('k8sdoc_check_status{check="etcd-alarms",component="etcd",subject="etcd",status="crit"} 1');
    expect(t.match(/k8sdoc_finding_info\{check="etcd-alarms"/g)).toHaveLength(1);
    expect(t).toContain('k8sdoc_etcd_alarm{alarm="NOSPACE",member="m1"} 1');
    expect(t).toContain('k8sdoc_etcd_alarm{alarm="NOSPACE",member="m2"} 1');
  });

  it('marks findings a config file ignores, so alert rules can leave them out', () => {
    const base = fixedReport();
    const ignored = buildReport({
      version: '0.1.0',
      context: null,
      server: null,
      startedAt: new Date(base.startedAt),
      durationMs: 10,
      results: [{ ...base.results.find((r) => r.code === 'cert-expiring')!, ignored: true, ignoreReason: 'vendor rotates it' } as Result],
    });
    const t = renderPrometheus(ignored);
    expect(t).toContain('k8sdoc_finding_ignored{check="certs-files",component="certs",subject="/etc/kubernetes/pki/apiserver.crt",code="cert-expiring"} 1');
    expect(t).toContain('k8sdoc_results_ignored 1');
    expect(t).toContain('k8sdoc_run_status{status="ok"} 1');
  });

  it('escapes hostile label values and declares every family once with HELP and TYPE', () => {
    const t = renderPrometheus(
      fixedReport([
        {
          check: 'nodes-ready',
          component: 'nodes',
          subject: 'node "x"\\\ny',
          status: 'ok',
          message: 'ok',
          durationMs: 1,
          data: { node: 'x"\n', ready: 'True' },
        },
      ]),
    );
    expect(t).toContain('subject="node \\"x\\"\\\\\\ny"');
    const families = t
      .split('\n')
      .filter((l) => l.startsWith('# TYPE'))
      .map((l) => l.split(' ')[2]);
    expect(new Set(families).size).toBe(families.length);
    for (const line of t.trim().split('\n')) {
      if (line.startsWith('#')) continue;
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*",?)*\})? ([-+0-9.eE]+|NaN|[+-]Inf)$/);
    }
  });
});
