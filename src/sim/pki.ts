// In-process X.509 for the simulator: a CA, leaf certificates with exactly the validity
// window and SANs a scenario needs, and a kubeadm-style /etc/kubernetes/pki folder.
// Minting here (instead of shelling out to openssl) lets `k8sdoc demo` run on a machine
// with nothing but Node. ECDSA P-256 keys: a full kubeadm PKI takes milliseconds.
import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
import type { webcrypto as WebCrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { stringify } from 'yaml';

// @peculiar/x509 looks its crypto up in a global provider; Node's webcrypto is standards
// compliant, so hand it over once.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** X.509 times carry whole seconds; rounding here keeps a Validity equal to what the certificate says. */
function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Valid from an hour before `from` (clock skew, as kubeadm allows) until `days` after it. */
export function validFor(days: number, from: Date = new Date()): Validity {
  return { notBefore: wholeSeconds(from.getTime() - HOUR_MS), notAfter: wholeSeconds(from.getTime() + days * DAY_MS) };
}

/** A one-year certificate whose validity ended `days` ago. */
export function expiredSince(days: number, now: Date = new Date()): Validity {
  const notAfter = now.getTime() - days * DAY_MS;
  return { notBefore: wholeSeconds(notAfter - 365 * DAY_MS), notAfter: wholeSeconds(notAfter) };
}

/** A one-year certificate whose validity starts `days` from now. */
export function notYetValidFor(days: number, now: Date = new Date()): Validity {
  const notBefore = now.getTime() + days * DAY_MS;
  return { notBefore: wholeSeconds(notBefore), notAfter: wholeSeconds(notBefore + 365 * DAY_MS) };
}

export interface Issued {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
}

export interface IssueOptions {
  commonName: string;
  organization?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** `peer` is server and client at once, as etcd peer and server certificates are. */
  usage: 'server' | 'client' | 'peer';
  /** Default: validFor(365). */
  validity?: Validity;
}

const KEY_ALGORITHM: WebCrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: WebCrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

// Issued carries PEM only (what goes on disk); keep the live keys beside it so a CA can
// sign without re-importing its key every time.
const caKeys = new WeakMap<Issued, WebCrypto.CryptoKeyPair>();

async function generateKeys(): Promise<WebCrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: WebCrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function publicKeyPem(key: WebCrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

/** A positive 128-bit serial: the top bit cleared so DER does not read it as negative. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function subjectName(commonName: string, organization: readonly string[] = []): x509.JsonName {
  const name: x509.JsonName = [];
  if (organization.length > 0) name.push({ O: [...organization] });
  name.push({ CN: [commonName] });
  return name;
}

async function toIssued(cert: x509.X509Certificate, keys: WebCrypto.CryptoKeyPair): Promise<Issued> {
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: await privateKeyPem(keys.privateKey),
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialHex: cert.serialNumber,
  };
}

/** A self-signed CA (CA:true, keyCertSign), ten years by default as kubeadm makes them. */
export async function createCa(commonName: string, validity: Validity = validFor(3650)): Promise<Issued> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: subjectName(commonName),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const issued = await toIssued(cert, keys);
  caKeys.set(issued, keys);
  return issued;
}

const EXTENDED_USAGES: Record<IssueOptions['usage'], string[]> = {
  server: [x509.ExtendedKeyUsage.serverAuth],
  client: [x509.ExtendedKeyUsage.clientAuth],
  peer: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
};

/** A leaf signed by `ca` (which must come from createCa in this process). */
export async function issue(ca: Issued, options: IssueOptions): Promise<Issued> {
  const signer = caKeys.get(ca);
  if (!signer) throw new Error(`CA ${ca.subject} was not created in this process: its key is not loaded`);
  const validity = options.validity ?? validFor(365);
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.certPem);
  const names: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(EXTENDED_USAGES[options.usage]),
    await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: subjectName(options.commonName, options.organization),
    issuer: caCert.subject,
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  return toIssued(cert, keys);
}

export type KubeadmCertName =
  | 'ca'
  | 'apiserver'
  | 'apiserver-kubelet-client'
  | 'apiserver-etcd-client'
  | 'front-proxy-ca'
  | 'front-proxy-client'
  | 'etcd/ca'
  | 'etcd/server'
  | 'etcd/peer'
  | 'etcd/healthcheck-client'
  | 'sa';

export interface KubeadmCertOverride {
  validity?: Validity;
  /** Leave the files off disk (the certificate is still minted so that its dependants can be signed). */
  omit?: boolean;
  /** Replace the default SANs (to make a wrong-SAN certificate, for instance). */
  dnsNames?: string[];
  ipAddresses?: string[];
}

export interface KubeadmPkiOptions {
  /** IPs or names the API server is reached by (control-plane addresses, the load balancer). */
  apiServerHosts: string[];
  etcdHosts: string[];
  overrides?: Partial<Record<KubeadmCertName, KubeadmCertOverride>>;
}

export interface ServiceAccountKeys {
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface KubeadmPki {
  dir: string;
  /** `sa` is a key pair, not a certificate: its entry is always undefined; see `serviceAccount`. */
  certs: Record<KubeadmCertName, Issued | undefined>;
  serviceAccount: ServiceAccountKeys | undefined;
  /** Where the file lives on disk (`sa` maps to sa.pub / sa.key as kubeadm names them). */
  path(name: KubeadmCertName, ext: 'crt' | 'key'): string;
  /** The CAs in memory, also when omitted from disk: sign extra certificates (kubelets, admin) with them. */
  authorities: { ca: Issued; etcdCa: Issued; frontProxyCa: Issued };
}

// The names every kubeadm apiserver certificate carries besides the host's own addresses.
const KUBERNETES_SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const KUBERNETES_SERVICE_IP = '10.96.0.1';

function splitHosts(hosts: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
  return { dnsNames: hosts.filter((h) => isIP(h) === 0), ipAddresses: hosts.filter((h) => isIP(h) !== 0) };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function kubeadmPath(dir: string, name: KubeadmCertName, ext: 'crt' | 'key'): string {
  if (name === 'sa') return join(dir, ext === 'crt' ? 'sa.pub' : 'sa.key');
  return join(dir, `${name}.${ext}`);
}

async function writePair(dir: string, name: KubeadmCertName, certPem: string, keyPem: string): Promise<void> {
  const crt = kubeadmPath(dir, name, 'crt');
  await mkdir(dirname(crt), { recursive: true });
  await writeFile(crt, certPem, { mode: 0o644 });
  await writeFile(kubeadmPath(dir, name, 'key'), keyPem, { mode: 0o600 });
}

/** Mints a kubeadm PKI and writes it under `dir` exactly as /etc/kubernetes/pki is laid out. */
export async function writeKubeadmPki(dir: string, options: KubeadmPkiOptions): Promise<KubeadmPki> {
  const overrides = options.overrides ?? {};
  const validityOf = (name: KubeadmCertName, fallback: Validity): Validity => overrides[name]?.validity ?? fallback;
  const sans = (name: KubeadmCertName, defaults: { dnsNames: string[]; ipAddresses: string[] }) => ({
    dnsNames: overrides[name]?.dnsNames ?? defaults.dnsNames,
    ipAddresses: overrides[name]?.ipAddresses ?? defaults.ipAddresses,
  });
  const year = validFor(365);

  const [ca, etcdCa, frontProxyCa] = await Promise.all([
    createCa('kubernetes', validityOf('ca', validFor(3650))),
    createCa('etcd-ca', validityOf('etcd/ca', validFor(3650))),
    createCa('front-proxy-ca', validityOf('front-proxy-ca', validFor(3650))),
  ]);

  const apiHosts = splitHosts(options.apiServerHosts);
  const etcdHosts = splitHosts(options.etcdHosts);
  const etcdSans = {
    dnsNames: unique(['localhost', ...etcdHosts.dnsNames]),
    ipAddresses: unique([...etcdHosts.ipAddresses, '127.0.0.1', '::1']),
  };

  const leaves = await Promise.all([
    issue(ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      validity: validityOf('apiserver', year),
      ...sans('apiserver', {
        dnsNames: unique([...apiHosts.dnsNames, ...KUBERNETES_SERVICE_NAMES]),
        ipAddresses: unique([KUBERNETES_SERVICE_IP, ...apiHosts.ipAddresses]),
      }),
    }),
    issue(ca, {
      commonName: 'kube-apiserver-kubelet-client',
      organization: ['kubeadm:cluster-admins'],
      usage: 'client',
      validity: validityOf('apiserver-kubelet-client', year),
    }),
    issue(etcdCa, { commonName: 'kube-apiserver-etcd-client', usage: 'client', validity: validityOf('apiserver-etcd-client', year) }),
    issue(frontProxyCa, { commonName: 'front-proxy-client', usage: 'client', validity: validityOf('front-proxy-client', year) }),
    issue(etcdCa, { commonName: 'etcd-server', usage: 'peer', validity: validityOf('etcd/server', year), ...sans('etcd/server', etcdSans) }),
    issue(etcdCa, { commonName: 'etcd-peer', usage: 'peer', validity: validityOf('etcd/peer', year), ...sans('etcd/peer', etcdSans) }),
    issue(etcdCa, { commonName: 'kube-etcd-healthcheck-client', usage: 'client', validity: validityOf('etcd/healthcheck-client', year) }),
  ]);
  const [apiserver, kubeletClient, etcdClient, frontProxyClient, etcdServer, etcdPeer, healthcheck] = leaves as [
    Issued,
    Issued,
    Issued,
    Issued,
    Issued,
    Issued,
    Issued,
  ];

  const minted: Record<Exclude<KubeadmCertName, 'sa'>, Issued> = {
    ca,
    apiserver,
    'apiserver-kubelet-client': kubeletClient,
    'apiserver-etcd-client': etcdClient,
    'front-proxy-ca': frontProxyCa,
    'front-proxy-client': frontProxyClient,
    'etcd/ca': etcdCa,
    'etcd/server': etcdServer,
    'etcd/peer': etcdPeer,
    'etcd/healthcheck-client': healthcheck,
  };

  const certs = { sa: undefined } as Record<KubeadmCertName, Issued | undefined>;
  for (const [name, issued] of Object.entries(minted) as [Exclude<KubeadmCertName, 'sa'>, Issued][]) {
    if (overrides[name]?.omit) {
      certs[name] = undefined;
      continue;
    }
    certs[name] = issued;
    await writePair(dir, name, issued.certPem, issued.keyPem);
  }

  let serviceAccount: ServiceAccountKeys | undefined;
  if (!overrides.sa?.omit) {
    const saKeys = await generateKeys();
    serviceAccount = { publicKeyPem: await publicKeyPem(saKeys.publicKey), privateKeyPem: await privateKeyPem(saKeys.privateKey) };
    await writePair(dir, 'sa', serviceAccount.publicKeyPem, serviceAccount.privateKeyPem);
  }

  return {
    dir,
    certs,
    serviceAccount,
    path: (name, ext) => kubeadmPath(dir, name, ext),
    authorities: { ca, etcdCa, frontProxyCa },
  };
}

export interface KubeconfigInput {
  server: string;
  caPem: string;
  user: { certPem: string; keyPem: string } | { token: string };
  clusterName?: string;
  contextName?: string;
  userName?: string;
  namespace?: string;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** An admin.conf-style kubeconfig with everything inline (`*-data`), current-context set. */
export function kubeconfigYaml(o: KubeconfigInput): string {
  const clusterName = o.clusterName ?? 'kubernetes';
  const userName = o.userName ?? 'kubernetes-admin';
  const contextName = o.contextName ?? `${userName}@${clusterName}`;
  const user = 'token' in o.user ? { token: o.user.token } : { 'client-certificate-data': base64(o.user.certPem), 'client-key-data': base64(o.user.keyPem) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server: o.server, 'certificate-authority-data': base64(o.caPem) } }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user: userName, ...(o.namespace ? { namespace: o.namespace } : {}) } }],
    'current-context': contextName,
    preferences: {},
    users: [{ name: userName, user }],
  });
}
