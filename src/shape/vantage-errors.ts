// Errors that are about where k8sdoc runs, not about the cluster. A probe that fails because
// this machine ran out of file descriptors, memory or local ports, because this machine has no
// route into the cluster's private network, because the port is one a distribution binds to
// 127.0.0.1 on its nodes, or because k8sdoc holds no etcd client certificate, says nothing
// about the target's health. Such a failure becomes a skip or a note that says what k8sdoc
// could not see and how to see it: never a warning, never a root cause.
//
// `retryWithLessConcurrency` marks the local resource limits: the caller retries with fewer
// probes in flight, and reports a local error (the exit-2 kind) if that does not help.
import { safeText } from '../util/terminal-text.js';
import { loopbackOnlyPorts, profileOf } from './distributions.js';
import { isLoopbackHost, joinHostPort } from './etcd-urls.js';
import type { Distribution } from './types.js';

export type VantageErrorKind = 'local-resource' | 'no-route-from-here' | 'loopback-only-port' | 'no-etcd-credentials';

export interface VantageErrorInput {
  /** errno or TLS code of the failure: EMFILE, ENETUNREACH, ECONNREFUSED, ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED … */
  code?: string;
  /** The probe's failure kind when it has one: `refused`, `timeout`, `unreachable`, `tls` … */
  kind?: string;
  target?: { host: string; port: number; what?: string; node?: string };
  distribution?: Distribution;
  /** k8sdoc presented no client certificate to this etcd endpoint. */
  noClientCertificate?: boolean;
}

export interface VantageError {
  kind: VantageErrorKind;
  /** The errno or condition it was recognised by. */
  code: string;
  /** What k8sdoc could not see, and why that is about this machine. */
  message: string;
  /** How to see it after all. */
  howToSee: string;
  retryWithLessConcurrency: boolean;
}

const LOCAL_LIMITS: Readonly<Record<string, { what: string; how: string }>> = {
  EMFILE: {
    what: 'k8sdoc ran out of file descriptors (EMFILE: the per-process limit, `ulimit -n`)',
    how: 'raise the limit (`ulimit -n 4096`) or lower --concurrency, then run again',
  },
  ENFILE: {
    what: 'this machine ran out of file descriptors (ENFILE: the system-wide limit)',
    how: 'close other programs or raise fs.file-max, or lower --concurrency, then run again',
  },
  ENOMEM: {
    what: 'this machine ran out of memory (ENOMEM)',
    how: 'free memory or lower --concurrency, then run again',
  },
  EADDRNOTAVAIL: {
    what: 'this machine had no local address to connect from (EADDRNOTAVAIL: local ports used up, or no interface of that address family)',
    how: 'lower --concurrency; for an IPv6 target, check that this machine has an IPv6 address',
  },
};

const CIDRS_V4: readonly [number, number][] = [
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0x64400000, 10], // 100.64.0.0/10, carrier-grade NAT and many cloud overlays
  [0xa9fe0000, 16], // 169.254.0.0/16
];

/** RFC 1918, shared (100.64/10), link-local and IPv6 unique-local or link-local addresses. */
export function isPrivateAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const n = v4.slice(1).reduce((acc, part) => acc * 256 + Number(part), 0);
    return CIDRS_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h);
}

const CERTIFICATE_REQUIRED = /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|certificate required/i;

function targetText(target: VantageErrorInput['target']): string {
  if (!target) return 'the target';
  const where = joinHostPort(safeText(target.host), target.port);
  const what = target.what ? `${safeText(target.what)} at ` : '';
  return `${what}${where}${target.node ? ` (node ${safeText(target.node)})` : ''}`;
}

/** The component a loopback-only port belongs to, as the distribution's data names it. */
function loopbackPortWhat(distribution: Distribution, port: number): string {
  const profile = profileOf(distribution) ?? profileOf('kubeadm')!;
  return profile.ports.find((p) => p.port === port)?.what ?? `port ${port}`;
}

function etcdCredentialsHint(distribution: Distribution): string {
  const profile = profileOf(distribution);
  if (!profile || profile.fixes.owner === 'provider') {
    return profile ? 'the provider runs etcd: its health shows only through the API server (/readyz/etcd)' : 'pass --etcd-cacert, --etcd-cert and --etcd-key';
  }
  if (profile.etcdClient && profile.pkiDir) {
    const file = (f: string) => `${profile.pkiDir}/${f}`;
    return `run k8sdoc as root on a control-plane node, or pass --etcd-cacert ${file(profile.etcdClient.caFile)} --etcd-cert ${file(profile.etcdClient.certFile)} --etcd-key ${file(profile.etcdClient.keyFile)} (copied from one)`;
  }
  if (profile.fixes.etcdMembers.length > 0) return `ask etcd through the distribution's tool: ${profile.fixes.etcdMembers[0]}`;
  return 'pass --etcd-cacert, --etcd-cert and --etcd-key';
}

/**
 * Whether a failure is about this machine rather than the cluster, and what to say instead.
 * Returns null for failures that are observations of the cluster.
 */
export function classifyVantageError(input: VantageErrorInput): VantageError | null {
  const code = (input.code ?? '').toUpperCase();
  const target = targetText(input.target);

  const limit = LOCAL_LIMITS[code];
  if (limit) {
    return {
      kind: 'local-resource',
      code,
      message: `${limit.what} while probing ${target}: nothing was learned about ${target}`,
      howToSee: limit.how,
      retryWithLessConcurrency: true,
    };
  }

  if (code === 'ENETUNREACH' && input.target && isPrivateAddress(input.target.host)) {
    return {
      kind: 'no-route-from-here',
      code,
      message: `this machine has no route to the private address ${safeText(input.target.host)} (ENETUNREACH): it stands outside the cluster's network, so ${target} could not be seen from here`,
      howToSee:
        'run k8sdoc from a machine inside the cluster network (a control-plane node, a jump host in the same network, or in-cluster), or connect the VPN that routes to it',
      retryWithLessConcurrency: false,
    };
  }

  const refusedOrSilent = code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || input.kind === 'refused' || input.kind === 'timeout' || code === 'TIMEOUT';
  if (refusedOrSilent && input.target && !isLoopbackHost(input.target.host)) {
    const distribution = input.distribution ?? 'kubeadm';
    if (loopbackOnlyPorts(distribution).includes(input.target.port)) {
      const what = loopbackPortWhat(distribution, input.target.port);
      return {
        kind: 'loopback-only-port',
        code: code || (input.kind ?? '').toUpperCase(),
        message: `${what} listens only on 127.0.0.1 of each node by ${distribution}'s default, so ${target} cannot answer anyone but the node itself: this is how the cluster is built, not a fault`,
        howToSee:
          input.target.port === 2381
            ? 'on the node: curl -s http://127.0.0.1:2381/metrics (or /health)'
            : `on the node: curl -sk https://127.0.0.1:${input.target.port}/healthz; from here: kubectl -n kube-system get pods -o wide`,
        retryWithLessConcurrency: false,
      };
    }
  }

  const isEtcdTarget = input.target?.what === 'etcd' || input.target?.port === 2379;
  if (input.noClientCertificate && isEtcdTarget && (code === '' || CERTIFICATE_REQUIRED.test(code) || input.kind === 'tls')) {
    const distribution = input.distribution ?? 'unknown';
    return {
      kind: 'no-etcd-credentials',
      code: code || 'NO_CLIENT_CERTIFICATE',
      message: `k8sdoc has no etcd client certificate on this machine, so etcd's own view at ${target} was not read; the API server's /readyz/etcd tells whether it reads etcd`,
      howToSee: etcdCredentialsHint(distribution),
      retryWithLessConcurrency: false,
    };
  }
  return null;
}
