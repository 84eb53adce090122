// Fake etcd members for unit-testing the etcd checks' judgement: each member answers (or
// fails) as described, the way the real probe would report it.
import type { CheckOptions } from '../../src/options.js';
import type { Targets } from '../../src/discovery/targets.js';
import type {
  EtcdEndpointProbe,
  EtcdMember,
  EtcdOutcome,
  EtcdStatus,
  Failure,
  Probes,
  ServedCertificate,
  TcpOutcome,
  TlsInspection,
} from '../../src/probes/types.js';
import { contextOver, type FakeContext } from './fake-context.js';
import { filesProbe } from '../../src/probes/files.js';

export interface FakeMember {
  name: string;
  /** How the member answers: 'up', or the failure kind a client would see. */
  state?: 'up' | Failure['kind'];
  learner?: boolean;
  /** Added with member add, never started: listed without name and client URLs. */
  unstarted?: boolean;
  /** Leader this member reports by name; '' for no leader. Default: the first member. */
  leader?: string;
  raftTerm?: number;
  raftIndex?: number;
  raftAppliedIndex?: number;
  dbSize?: number;
  dbSizeInUse?: number;
  alarms?: { member: string; alarm: string }[];
  errors?: string[];
  quotaFromMetrics?: number;
  /** A different member list than the others see (names). */
  sees?: string[];
  clusterId?: string;
}

export function fakeId(name: string): string {
  let h = 0x811c9dc5n;
  for (const c of name) h = ((h ^ BigInt(c.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16);
}

export const urlOf = (name: string) => `https://${name}.test:2379`;

function failure<T>(kind: Failure['kind'], endpoint: string): EtcdOutcome<T> {
  return { kind, message: `${endpoint}: ${kind}`, ms: kind === 'timeout' ? 1000 : 1 };
}

function listEntry(m: FakeMember): EtcdMember {
  return {
    id: fakeId(m.name),
    name: m.unstarted ? '' : m.name,
    peerURLs: [`https://${m.name}.test:2380`],
    clientURLs: m.unstarted ? [] : [urlOf(m.name)],
    isLearner: m.learner ?? false,
  };
}

export function fakeEtcdProbe(members: FakeMember[], endpoint: string): EtcdEndpointProbe {
  const m = members.find((x) => urlOf(x.name) === endpoint);
  const state = m && !m.unstarted ? (m.state ?? 'up') : 'refused';
  const ok = <T>(value: T): EtcdOutcome<T> => ({ kind: 'ok', value, ms: 2 });
  const answer = <T>(value: () => T): Promise<EtcdOutcome<T>> => Promise.resolve(state === 'up' ? ok(value()) : failure<T>(state, endpoint));
  const leaderName = m?.leader ?? members[0]!.name;
  const status = (): EtcdStatus => ({
    endpoint,
    memberId: fakeId(m!.name),
    clusterId: m!.clusterId ?? 'c1a5',
    leader: leaderName === '' ? '0' : fakeId(leaderName),
    version: '3.5.9',
    dbSize: m!.dbSize ?? 20_480,
    dbSizeInUse: m!.dbSizeInUse ?? 16_384,
    raftTerm: String(m!.raftTerm ?? 2),
    raftIndex: String(m!.raftIndex ?? 100),
    raftAppliedIndex: String(m!.raftAppliedIndex ?? m!.raftIndex ?? 100),
    isLearner: m!.learner ?? false,
    errors: m!.errors ?? [],
  });
  return {
    endpoint,
    status: () => answer(status),
    memberList: () => answer(() => (m!.sees ? members.filter((x) => m!.sees!.includes(x.name)) : members).map(listEntry)),
    alarms: () => answer(() => (m!.alarms ?? []).map((a) => ({ memberId: fakeId(a.member), alarm: a.alarm }))),
    health: () => answer(() => ({ healthy: true })),
    metrics: () =>
      answer(() => (m!.quotaFromMetrics ? `# TYPE etcd_server_quota_backend_bytes gauge\netcd_server_quota_backend_bytes ${m!.quotaFromMetrics}\n` : '')),
  };
}

const DEFAULT_OPTIONS = {
  timeoutMs: 1000,
  concurrency: 32,
  etcdQuotaBytes: 2 * 1024 ** 3,
  etcdQuotaFromFlag: false,
  backupMaxAgeMs: 3_600_000,
} as Partial<CheckOptions>;

export interface FakeContextInput {
  members?: FakeMember[];
  /** Endpoints given (default: every started member's client URL). */
  endpoints?: string[];
  credentials?: boolean;
  options?: Partial<CheckOptions>;
  backupDir?: string | null;
  now?: Date;
  tcp?: (host: string, port: number) => TcpOutcome;
  tls?: (host: string, port: number) => TlsInspection;
  kube?: Record<string, { status: number; body: string }>;
}

export function fakeContext(input: FakeContextInput): FakeContext {
  const members = input.members ?? [];
  const endpoints = input.endpoints ?? members.filter((m) => !m.unstarted).map((m) => urlOf(m.name));
  const credentials = input.credentials ?? true;
  const targets: Targets = {
    context: null,
    kubeServer: null,
    clusterCa: null,
    apiServers: [],
    etcd: endpoints.map((url) => {
      const u = new URL(url);
      return { url, host: u.hostname, port: Number(u.port), source: '--etcd' };
    }),
    etcdTls: credentials ? { caFile: '/pki/etcd/ca.crt', certFile: '/pki/etcd/healthcheck-client.crt', keyFile: '/pki/etcd/healthcheck-client.key' } : {},
    hosts: [],
    pkiDir: null,
    etcdBackupDir: input.backupDir ?? null,
    notes: [],
  };
  const kube = input.kube;
  const probes: Probes = {
    tcp: async (host, port) => input.tcp?.(host, port) ?? { kind: 'ok', ms: 1 },
    tls: async (host, port) => input.tls?.(host, port) ?? { kind: 'ok', ms: 1, chain: [servedEtcdCertificate()], verifyError: null },
    kube: kube
      ? {
          server: 'https://lb.test:6443',
          get: async (path) => {
            const r = kube[path];
            if (!r) return { kind: 'http', message: `no fake for ${path}`, ms: 1, status: 404 };
            return r.status === 200
              ? { kind: 'ok', status: 200, headers: {}, body: r.body, ms: 1, truncated: false }
              : { kind: 'http', message: `HTTP ${r.status}`, ms: 1, status: r.status, body: r.body };
          },
        }
      : null,
    etcd: credentials ? { forEndpoint: (e) => fakeEtcdProbe(members, e), close: async () => undefined } : null,
    files: filesProbe,
  };
  return contextOver(probes, { targets, options: { ...DEFAULT_OPTIONS, ...input.options } as CheckOptions, now: input.now ?? new Date() });
}

export function servedEtcdCertificate(): ServedCertificate {
  return {
    subject: 'CN=etcd-server',
    issuer: 'CN=etcd-ca',
    sans: [],
    notBefore: new Date(0),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    serial: '1',
    fingerprint256: 'x',
    selfSigned: false,
    pem: '',
  };
}

/** `n` members named m1..mn, the first `healthy` up, the rest refusing. */
export function membersWithHealthy(n: number, healthy: number): FakeMember[] {
  return Array.from({ length: n }, (_, i) => ({ name: `m${i + 1}`, state: i < healthy ? ('up' as const) : ('refused' as const) }));
}
