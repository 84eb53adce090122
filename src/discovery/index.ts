// Turns flags, the kubeconfig and this machine's files into Targets. Discovery that fails
// degrades to what flags and files give; it never aborts the run.
import { PORTS } from '../judge/ports.js';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import type { CheckOptions } from '../options.js';
import { parseEndpoint } from '../util/url.js';
import { nodeEnvironmentOf, underRoot, type NodeEnvironment, type ResolvedKubeconfig } from './kubeconfig.js';
import { kubeconfigCertificatesOf } from './pki.js';
import type { EtcdTls, Targets } from './targets.js';
import { validateEtcdTlsFlags } from './tls-flags.js';
import { PKI_DIRS } from '../shape/distributions.js';
import { distributionOfPkiFolder, etcdClientOf, type PkiFolderKind } from '../shape/pki-layout.js';
import type { Distribution } from '../shape/types.js';

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The PKI folder of this node when none was named: the one of the distribution whose admin
 * kubeconfig is in use, else the first distribution's folder present (kubeadm, k3s, RKE2,
 * MicroK8s).
 */
export function defaultPkiDir(node: NodeEnvironment, prefer: Distribution | undefined): { path: string; distribution: Distribution } | null {
  const candidates = [...PKI_DIRS].sort((a, b) => Number(b.distribution === prefer) - Number(a.distribution === prefer));
  for (const c of candidates) {
    const path = underRoot(node, c.path);
    if (isFolder(path)) return { path, distribution: c.distribution };
  }
  return null;
}

/** What made the folder, from its own file names (the kubeconfig's distribution only where they cannot tell). */
export function pkiFolderKind(pkiDir: string, hint: Distribution | undefined): PkiFolderKind {
  let names: string[] = [];
  try {
    names = readdirSync(pkiDir);
  } catch {
    // An unreadable or missing folder is certs-files' to report.
  }
  return distributionOfPkiFolder(pkiDir, names, hint);
}

/**
 * The etcd client certificate the folder's distribution leaves for etcdctl (kubeadm's
 * etcd/healthcheck-client with etcd/ca.crt, k3s/RKE2's etcd/client with etcd/server-ca.crt),
 * for whichever files the flags left open; cert and key only as a pair, and only when this
 * user can read them.
 */
export function etcdTlsFromPki(tls: EtcdTls, pkiDir: string, kind: PkiFolderKind, notes: string[]): EtcdTls {
  const files = etcdClientOf(pkiDir, kind.distribution);
  if (files === null) return tls;
  const out = { ...tls };
  const used: string[] = [];
  if (out.caFile === undefined && readable(files.caFile)) {
    out.caFile = files.caFile;
    used.push(files.caFile);
  }
  if (out.certFile === undefined && out.keyFile === undefined) {
    const [cert, key] = [readable(files.certFile), readable(files.keyFile)];
    if (cert && key) {
      out.certFile = files.certFile;
      out.keyFile = files.keyFile;
      used.push(files.certFile, files.keyFile);
    } else if (cert) {
      notes.push(`etcd: ${files.keyFile} is not readable by this user (run as root to use it)`);
    }
  }
  if (used.length > 0) notes.push(`etcd: client TLS from the ${kind.distribution} PKI folder: ${used.join(', ')}`);
  return out;
}

/** Targets from flags, the kubeconfig and this node's files alone: no network. */
export function targetsFromFlags(options: CheckOptions, kubeconfig: ResolvedKubeconfig | null, node: NodeEnvironment = nodeEnvironmentOf({})): Targets {
  const kubeServer = kubeconfig
    ? parseEndpoint(kubeconfig.cluster.server, `kubeconfig server of context '${kubeconfig.contextName}'`, 'kubeconfig', 443)
    : null;
  const apiServers = options.apiservers.map((u) => parseEndpoint(u, '--apiserver', '--apiserver', PORTS.apiServer));
  const etcd = options.etcd.map((u) => parseEndpoint(u, '--etcd', '--etcd', PORTS.etcdClient));
  validateEtcdTlsFlags(options);
  const notes: string[] = [];
  if (kubeconfig?.nodeAdmin) {
    notes.push(`kubeconfig: none found, so this ${kubeconfig.nodeAdmin.distribution} node's admin kubeconfig ${kubeconfig.nodeAdmin.path} is used`);
  }
  const hint = kubeconfig?.nodeAdmin?.distribution;
  let pkiDir = options.pkiDir;
  if (pkiDir === null) {
    const found = defaultPkiDir(node, hint);
    if (found) {
      pkiDir = found.path;
      notes.push(`pki: ${found.path} (${found.distribution}'s PKI folder on this node)`);
    }
  }
  let etcdTls: EtcdTls = { caFile: options.etcdCacert ?? undefined, certFile: options.etcdCert ?? undefined, keyFile: options.etcdKey ?? undefined };
  if (pkiDir !== null) etcdTls = etcdTlsFromPki(etcdTls, pkiDir, pkiFolderKind(pkiDir, hint), notes);
  return {
    context: kubeconfig?.contextName ?? null,
    kubeServer,
    clusterCa: kubeconfig?.cluster.caPem ?? null,
    apiServers,
    etcd,
    etcdTls,
    hosts: options.hosts.map((address) => ({ address, controlPlane: true })),
    pkiDir,
    kubeconfigCertificates: kubeconfig ? kubeconfigCertificatesOf(kubeconfig) : null,
    etcdBackupDir: options.etcdBackupDir,
    notes,
  };
}
