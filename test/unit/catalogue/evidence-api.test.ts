// What a user reads first for each problem of the API server, certificates, nodes, kubelets
// and the control plane: given what the check observed (about.evidence) and the cluster's
// distribution, the first cause and the first step as the report fills them.
import { describe, expect, it } from 'vitest';
import type { Code } from '../../../src/catalogue/codes.js';
import type { About, Evidence } from '../../../src/engine/types.js';
import { credentialEvidenceOf, tlsEvidenceOf, verifyEvidenceOf } from '../../../src/judge/api-evidence.js';
import type { Distribution } from '../../../src/shape/types.js';
import { reportOne } from '../../helpers/report-one.js';

const AT: About = { host: '10.0.0.11', port: 6443, endpoint: 'https://10.0.0.11:6443', node: 'cp-1' };

function shown(code: Code, evidence: Evidence | undefined, distribution: Distribution | undefined, about: About = AT) {
  const out = reportOne(code, { ...about, ...(evidence ? { evidence } : {}) }, distribution ? { distribution } : {});
  return { cause: out.causes?.[0] ?? '', step: out.steps?.[0]?.text ?? '', steps: (out.steps ?? []).map((s) => s.text), variant: out.variant };
}

type Row = [Code, Evidence | undefined, Distribution | undefined, RegExp, RegExp];

// code, evidence, distribution → first cause, first step
const ROWS: Row[] = [
  // 1. a timeout: TCP never connected is the network; connected then silent is the server
  ['apiserver-timeout', { tcp: 'timeout' }, 'kubeadm', /firewall/, /^nc -vz -w 3 10\.0\.0\.11 6443/],
  [
    'apiserver-timeout',
    { tcp: 'connected', tls: 'handshake-timeout' },
    'kubeadm',
    /accepts connections but stalls/,
    /^timeout 10 openssl s_client -connect 10\.0\.0\.11:6443/,
  ],
  ['apiserver-timeout', { tcp: 'connected' }, 'k3s', /stalls/, /^timeout 10 openssl s_client/],
  ['apiserver-timeout', { tcp: 'timeout' }, 'eks', /provider's API server/, /^aws eks describe-cluster/],
  // 2. four TLS-layer failures told apart, and expiry kept for expiry
  ['apiserver-tls-error', { tcp: 'connected', tls: 'not-tls' }, 'kubeadm', /plain HTTP/, /^curl -sv --max-time 5 http:\/\/10\.0\.0\.11:6443\/version/],
  [
    'apiserver-tls-error',
    { tcp: 'connected', tls: 'alert' },
    'kubeadm',
    /rejected the handshake.*client certificate/,
    /^openssl s_client -connect 10\.0\.0\.11:6443 .*alert/,
  ],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'protocol' }, 'kubeadm', /HTTP\/2/, /-alpn http\/1\.1/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'oversized' }, 'kubeadm', /certificate chain larger/, /-showcerts .*BEGIN CERTIFICATE/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'expired' }, 'kubeadm', /expired certificate/, /^kubeadm certs check-expiration/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'expired' }, 'k3s', /120 days/, /^systemctl stop k3s$/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'unknown-authority' }, 'kubeadm', /different cluster CA/, /-issuer -subject/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'name-mismatch' }, 'kubeadm', /SANs/, /subjectAltName/],
  ['apiserver-tls-error', { tcp: 'connected', tls: 'not-yet-valid' }, 'kubeadm', /clock/, /^timedatectl status/],
  // 3. a 401 follows the credential sent
  ['apiserver-unauthorized', { tcp: 'connected', credential: 'token' }, 'kubeadm', /token has expired/, /^kubectl config view --minify/],
  [
    'apiserver-unauthorized',
    { tcp: 'connected', credential: 'client-certificate' },
    'kubeadm',
    /client certificate has expired/,
    /^openssl x509 -noout -enddate/,
  ],
  ['apiserver-unauthorized', { tcp: 'connected', credential: 'exec' }, 'eks', /plugin returned a stale/, /^KUBERNETES_EXEC_INFO=.*exec\.command/],
  // 4. a credential plugin that fails is no network problem
  ['apiserver-credentials-unavailable', { tcp: 'connected', credential: 'exec' }, 'kubeadm', /login has expired/, /^KUBERNETES_EXEC_INFO=.* >\/dev\/null/],
  // 5. the distribution's own commands
  ['apiserver-refused', { tcp: 'refused' }, 'kubeadm', /crashed/, /^crictl ps -a --name kube-apiserver/],
  ['apiserver-refused', { tcp: 'refused' }, undefined, /crashed/, /^crictl ps -a --name kube-apiserver/],
  ['apiserver-refused', { tcp: 'refused' }, 'k3s', /k3s, rke2-server/, /^systemctl status k3s$/],
  ['apiserver-refused', { tcp: 'refused' }, 'rke2', /rke2-server/, /^systemctl status rke2-server$/],
  ['apiserver-refused', { tcp: 'refused' }, 'talos', /static pod/, /^talosctl -n 10\.0\.0\.11 containers -k \| grep kube-apiserver$/],
  ['apiserver-refused', { tcp: 'refused' }, 'microk8s', /kubelite/, /^microk8s status$/],
  ['apiserver-refused', { tcp: 'refused' }, 'gke', /not yours/, /^gcloud container clusters describe/],
  ['apiserver-refused', { tcp: 'refused' }, 'aks', /not yours/, /^az aks show/],
  ['apiserver-not-ready', undefined, 'kubeadm', /cannot reach etcd/, /^kubectl get --raw '\/readyz\?verbose'/],
  ['apiserver-not-ready', undefined, 'eks', /provider's API server/, /readyz/],
  ['apiserver-not-live', undefined, 'k3s', /deadlocked/, /livez/],
  // 6. one API server down behind a balancer that still answers: kubectl works
  ['apiserver-refused', { tcp: 'refused', peers: 'answering' }, 'kubeadm', /on this host has crashed/, /^crictl ps -a --name kube-apiserver/],
  // certificates
  ['cert-expired', undefined, 'kubeadm', /one year/, /^kubeadm certs check-expiration$/],
  ['cert-expired', undefined, 'k3s', /120 days/, /^systemctl stop k3s$/],
  ['cert-expired', undefined, 'microk8s', /refresh-certs/, /^microk8s refresh-certs --check$/],
  ['cert-expired', undefined, 'talos', /renews its certificates itself/, /^talosctl -n 10\.0\.0\.11 time/],
  ['cert-expiring', undefined, 'k3s', /120 days/, /^systemctl restart k3s$/],
  ['cert-expiring', undefined, 'rke2', /120 days/, /^systemctl restart rke2-server$/],
  ['cert-expiring', undefined, 'kubeadm', /one year/, /^kubeadm certs check-expiration$/],
  ['cert-file-missing', { file: 'kubeconfig' }, 'kubeadm', /kubeconfig was deleted/, /^kubeadm init phase kubeconfig admin/],
  ['cert-file-missing', { file: 'certificate' }, 'kubeadm', /deleted or never created/, /^kubeadm init phase certs all/],
  ['cert-file-missing', { file: 'kubeconfig' }, 'k3s', /writes it again at start/, /^systemctl restart k3s$/],
  ['cert-served-stale', undefined, 'k3s', /not restarted/, /^systemctl restart k3s$/],
  // nodes and kubelets: journalctl -u kubelet except where the kubelet runs elsewhere
  ['node-not-ready', undefined, 'kubeadm', /kubelet cannot reach/, /^systemctl status kubelet/],
  ['node-not-ready', undefined, 'talos', /kubelet cannot reach/, /^talosctl -n 10\.0\.0\.11 service kubelet$/],
  ['node-not-ready', undefined, 'k3s', /kubelet cannot reach/, /^systemctl status k3s-agent/],
  ['node-not-ready', undefined, 'microk8s', /kubelet cannot reach/, /^systemctl status snap\.microk8s\.daemon-kubelite/],
  ['node-not-ready', undefined, 'eks', /kubelet cannot reach/, /^systemctl status kubelet/],
  ['node-not-ready', undefined, 'openshift', /kubelet cannot reach/, /^oc debug node\/cp-1 -- chroot \/host systemctl status kubelet$/],
  ['kubelet-unreachable', undefined, 'kubeadm', /stopped or crash-looping/, /^systemctl status kubelet/],
  ['kubelet-unreachable', undefined, 'talos', /stopped or crash-looping/, /^talosctl -n 10\.0\.0\.11 service kubelet$/],
  ['kubelet-unreachable', undefined, 'rke2', /stopped or crash-looping/, /^systemctl status rke2-agent/],
  ['kubelet-unhealthy', undefined, 'kubeadm', /runtime is down/, /^journalctl -u kubelet/],
  ['node-lease-stale', undefined, 'k3s', /kubelet stopped/, /^kubectl -n kube-node-lease get lease/],
  // control plane: static pods, in-process, Talos, managed
  ['controller-manager-no-leader', undefined, 'kubeadm', /crashed or is crash-looping/, /^kubectl -n kube-system get lease kube-controller-manager/],
  ['controller-manager-no-leader', undefined, 'k3s', /runs inside it/, /^kubectl -n kube-system get lease/],
  ['scheduler-no-leader', undefined, 'microk8s', /runs inside it/, /^kubectl -n kube-system get lease kube-scheduler/],
  ['scheduler-no-leader', undefined, 'gke', /provider's scheduler/, /^kubectl -n kube-system get lease kube-scheduler/],
  ['control-plane-pod-crashloop', undefined, 'kubeadm', /certificate it needs has expired/, /^kubectl -n kube-system logs <pod> --previous/],
  ['control-plane-pod-crashloop', undefined, 'talos', /depends on is down/, /^kubectl -n kube-system logs/],
];

describe('the first cause and the first step follow the evidence and the distribution', () => {
  it.each(ROWS)('%s %j on %s', (code, evidence, distribution, cause, step) => {
    const s = shown(code, evidence, distribution);
    expect(s.cause).toMatch(cause);
    expect(s.step).toMatch(step);
  });

  it('never sends a kubeadm cluster to a kube-apiserver unit that does not exist', () => {
    for (const code of ['apiserver-refused', 'apiserver-timeout', 'apiserver-not-ready', 'apiserver-not-live', 'apiserver-tls-error'] as const)
      for (const evidence of [undefined, { tcp: 'connected' as const }, { tcp: 'timeout' as const }])
        expect(shown(code, evidence, 'kubeadm').steps.join('\n'), code).not.toMatch(/journalctl -u kube-apiserver/);
  });

  it('tells a managed cluster the control plane is the provider’s, never to restart it', () => {
    for (const code of ['apiserver-refused', 'apiserver-timeout', 'apiserver-not-ready', 'apiserver-not-live', 'controller-manager-no-leader'] as const) {
      const s = shown(code, { tcp: 'refused' }, 'eks');
      expect(s.steps.join('\n'), code).toMatch(/run by the provider/);
      expect(s.steps.join('\n'), code).not.toMatch(/crictl|systemctl|manifests/);
    }
  });

  it('names the program of a control-plane pod in its log step', () => {
    const s = shown('control-plane-pod-crashloop', undefined, 'rke2', { ...AT, program: 'kube-scheduler' });
    expect(s.steps).toContain(
      '/var/lib/rancher/rke2/bin/crictl --runtime-endpoint unix:///run/k3s/containerd/containerd.sock logs --tail 100 $(/var/lib/rancher/rke2/bin/crictl --runtime-endpoint unix:///run/k3s/containerd/containerd.sock ps -a --name kube-scheduler -q | head -n1)',
    );
  });

  it('lb-partial: one API server down while the balancer answers does not say kubectl fails', () => {
    const r = shown('apiserver-refused', { tcp: 'refused', peers: 'answering' }, 'kubeadm');
    expect(r.variant).toBe('one API server of several');
    const symptom = reportOne('apiserver-refused', { ...AT, evidence: { tcp: 'refused', peers: 'answering' } }).symptom;
    expect(symptom).toMatch(/kubectl still works/);
    expect(symptom).not.toMatch(/kubectl commands fail/);
  });
});

describe('evidence from what Node reports', () => {
  it.each([
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'not-tls'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'alert'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'alert'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'alert'],
    ['ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'protocol'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'protocol'],
    ['ERR_SSL_EXCESSIVE_MESSAGE_SIZE', 'oversized'],
    ['ERR_SSL_PACKET_LENGTH_TOO_LONG', 'oversized'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['CERT_NOT_YET_VALID', 'not-yet-valid'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'name-mismatch'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown-authority'],
  ])('%s is %s', (detail, tls) => {
    expect(tlsEvidenceOf({ kind: 'tls', message: 'tls x: TLS handshake failed', detail })).toBe(tls);
  });

  it('reads the OpenSSL reason out of a bare EPROTO', () => {
    expect(tlsEvidenceOf({ kind: 'tls', message: 'tls x: TLS handshake failed: protocol error (wrong version number)', detail: 'EPROTO' })).toBe('not-tls');
  });

  it('a handshake that never finishes is a timeout of its own', () => {
    expect(tlsEvidenceOf({ kind: 'timeout', message: 'tls x did not answer' })).toBe('handshake-timeout');
  });

  it('reads the verdict on a served chain', () => {
    expect(verifyEvidenceOf('certificate has expired')).toBe('expired');
    expect(verifyEvidenceOf('certificate is not valid for 10.0.0.1')).toBe('name-mismatch');
    expect(verifyEvidenceOf('self-signed certificate not trusted')).toBe('unknown-authority');
  });

  it('names the credential the kubeconfig sends, a plugin before a token before a certificate', () => {
    const kc = { context: 'c', user: 'u', cluster: 'k', clientCertPem: null, clientCertFile: null, otherAuth: null };
    expect(credentialEvidenceOf({ ...kc, otherAuth: 'exec plugin' })).toBe('exec');
    expect(credentialEvidenceOf({ ...kc, otherAuth: 'bearer token' })).toBe('token');
    expect(credentialEvidenceOf({ ...kc, otherAuth: 'service account token' })).toBe('token');
    expect(credentialEvidenceOf({ ...kc, clientCertPem: 'x' })).toBe('client-certificate');
    expect(credentialEvidenceOf(kc)).toBe('none');
    expect(credentialEvidenceOf(null)).toBeUndefined();
  });
});
