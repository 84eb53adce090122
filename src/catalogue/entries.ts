// The error catalogue: every finding k8sdoc reports points here for its symptom, cause and
// fix. docs/catalogue.md is generated from this data (npm run docs); never edit it by hand.
import type { Code } from './codes.js';
import type { Entry, Variant } from './entry.js';

const K8S = 'https://kubernetes.io/docs';
const ETCD = 'https://etcd.io/docs/v3.5/op-guide';

/** The managed control planes: the provider runs the API server, etcd, scheduler and controller-manager. */
const MANAGED = ['eks', 'gke', 'aks'] as const;
const PROVIDER_SUPPORT = "the control plane is run by the provider: check the provider's status page, and open a support case if it stays unavailable";

/** What kubectl tells an exec plugin about the call (client-go's ExecCredential request). */
const EXEC_INFO = `KUBERNETES_EXEC_INFO='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'`;

/**
 * On a managed cluster the API server is the provider's: nothing of it is restarted, renewed
 * or read on a node of yours; the provider's CLI shows its state.
 */
function onManaged(what: string): Variant[] {
  return [
    {
      when: { distribution: MANAGED },
      label: 'managed control plane (EKS, GKE, AKS)',
      causes: [
        `the provider's API server ${what}: the control plane is the provider's, not yours (an outage, an upgrade or maintenance in progress)`,
        'the cluster endpoint is private or limited to authorized networks that exclude this machine',
        'the kubeconfig names an old endpoint (the cluster was recreated)',
      ],
      fix: [
        '@status kube-apiserver',
        PROVIDER_SUPPORT,
        'kubectl config view --minify -o jsonpath="{.clusters[0].cluster.server}"   # the endpoint the kubeconfig names',
      ],
    },
  ];
}

export const ENTRIES = {
  // ── API server ────────────────────────────────────────────────────────────────
  'apiserver-refused': {
    component: 'apiserver',
    title: 'API server refuses connections',
    severity: 'crit',
    symptom: "kubectl commands fail with 'The connection to the server … was refused' (Connection refused)",
    causes: [
      'the kube-apiserver process has crashed or is restarting (crash loop)',
      'its serving certificate, or the apiserver-etcd-client certificate it uses to reach etcd, has expired, so it exits at start-up',
      'etcd has lost quorum, so the API server cannot start',
      'the load balancer in front of the API servers has no healthy backend, or the address/port is wrong',
    ],
    fix: [
      '@status kube-apiserver',
      '@logs kube-apiserver',
      'kubeadm certs check-expiration   # expired certificates stop the API server',
      'k8sdoc check --only etcd --etcd https://<control-plane-ip>:2379   # is etcd healthy?',
      'ss -tlnp | grep 6443   # on the control-plane node: is anything listening?',
    ],
    variants: [
      ...onManaged('refuses connections'),
      {
        when: { peers: 'answering' },
        label: 'one API server of several',
        symptom: 'kubectl still works through the other API servers; some requests fail or retry when the load balancer picks this one',
        causes: [
          'the kube-apiserver on this host has crashed, is restarting or was stopped (maintenance, a failed upgrade)',
          'its certificates or its etcd client certificate expired on this host only',
          'the host itself is down',
        ],
      },
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2 server',
        causes: [
          'the server service (k3s, rke2-server) has stopped or is restarting: the API server runs inside it (k3s) or as its static pod (RKE2)',
          'its datastore is unavailable: embedded etcd without quorum, or the SQL database behind kine',
          'the load balancer in front of the servers has no healthy backend, or the address/port is wrong',
        ],
        fix: ['@status kube-apiserver', '@logs kube-apiserver', 'ss -tlnp | grep 6443   # on the server: is anything listening?'],
      },
      {
        when: { distribution: 'talos' },
        label: 'Talos control-plane node',
        causes: [
          'the kube-apiserver static pod is not running (crash loop, or the kubelet has not started it)',
          'etcd is not running or has no quorum, so the API server cannot start',
          'the node is down or rebooting (an upgrade)',
        ],
        fix: ['@status kube-apiserver', '@logs kube-apiserver', '@status etcd', 'talosctl -n <node-ip> health'],
      },
      {
        when: { distribution: 'microk8s' },
        label: 'MicroK8s node',
        causes: ['kubelite (which runs the API server) has stopped or is restarting', 'dqlite, its datastore, is down or has lost its majority'],
        fix: ['@status kube-apiserver', '@logs kube-apiserver'],
      },
    ],
    keywords: [
      'connection refused',
      'refused',
      'the connection to the server was refused',
      'kubectl not working',
      'api down',
      '6443',
      'apiserver down',
      'did you specify the right host or port',
    ],
    docs: `${K8S}/tasks/debug/debug-cluster/`,
  },
  'apiserver-timeout': {
    component: 'apiserver',
    title: 'API server does not answer in time',
    severity: 'crit',
    symptom: "kubectl hangs and then fails with 'i/o timeout' or 'context deadline exceeded'",
    causes: [
      'a firewall or security group drops packets to port 6443',
      'the control-plane host is hung, overloaded or powered off',
      'the API server accepts connections but is stuck waiting on etcd',
    ],
    fix: [
      'nc -vz -w 3 <host> <port>   # from this machine: does TCP connect?',
      'iptables -L -n | grep <port>; nft list ruleset | grep <port>   # on the host: dropped by a firewall?',
      'uptime; top -b -n1 | head -20   # on the host: load, memory',
      '@logs kube-apiserver',
    ],
    variants: [
      ...onManaged('does not answer in time'),
      {
        when: { tcp: 'connected' },
        label: 'TCP connected, then no answer',
        symptom: "kubectl hangs, then fails with 'net/http: TLS handshake timeout' or 'context deadline exceeded'",
        causes: [
          'the server accepts connections but stalls: the API server is overloaded (CPU, memory, too many clients) or stuck waiting on etcd (slow disk, lost quorum)',
          'it cannot complete TLS handshakes in time (CPU starved, swapping)',
          'a proxy or load balancer accepts the connection but its backend never answers',
        ],
        fix: [
          'timeout 10 openssl s_client -connect <host>:<port> -brief </dev/null   # does the TLS handshake complete?',
          '@logs kube-apiserver',
          'uptime; top -b -n1 | head -20   # on the host: load, memory',
          "kubectl get --raw '/readyz?verbose'   # through another API server, if one answers: [-]etcd means it waits on etcd",
        ],
      },
    ],
    keywords: [
      'timeout',
      'i/o timeout',
      'context deadline exceeded',
      'hangs',
      'no route',
      'unable to connect to the server',
      'tls handshake timeout',
      'net/http: tls handshake timeout',
    ],
    docs: `${K8S}/tasks/debug/debug-cluster/`,
  },
  'apiserver-tls-error': {
    component: 'apiserver',
    title: 'TLS handshake with the API server fails',
    severity: 'crit',
    symptom:
      "kubectl fails with 'x509: certificate has expired or is not yet valid', 'x509: certificate signed by unknown authority' or 'certificate is valid for …, not …'",
    causes: [
      'the API server serves an expired certificate (kubeadm certificates last one year)',
      'the kubeconfig carries a different cluster CA than the one that signed the serving certificate (cluster rebuilt, wrong kubeconfig)',
      "the address used is not among the certificate's SANs (new load balancer or IP)",
      'the clock of this machine or of the server is wrong',
    ],
    fix: [
      'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -dates -issuer -ext subjectAltName',
      '@renew-certificates',
      'timedatectl status   # clock in sync on both sides?',
    ],
    variants: [
      {
        when: { tls: 'not-tls' },
        label: 'plain HTTP where TLS was expected',
        symptom: "kubectl fails with 'http: server gave HTTP response to HTTPS client' or 'first record does not look like a TLS handshake'",
        causes: [
          'something other than the API server listens on this port and answers in plain HTTP: a proxy or load balancer in HTTP mode, another web server',
          'the kubeconfig names the wrong port (an HTTP port such as 80 or 8080)',
          'a load balancer terminates TLS and forwards plain HTTP instead of passing TCP through',
        ],
        fix: [
          'curl -sv --max-time 5 http://<host>:<port>/version 2>&1 | head -20   # who answers in plain HTTP?',
          'ss -tlnp | grep <port>   # on the host: which process listens',
          'kubectl config view --minify -o jsonpath="{.clusters[0].cluster.server}"   # the address and port the kubeconfig names',
          'set the load balancer to TCP passthrough on the API port (HAProxy: mode tcp)',
        ],
      },
      {
        when: { tls: 'alert' },
        label: 'the server sent a TLS alert',
        symptom: "kubectl fails with 'remote error: tls: …' (handshake failure, certificate required, unknown certificate authority, bad certificate)",
        causes: [
          'the server rejected the handshake: it requires a client certificate this request did not carry, or does not trust the CA of the one sent (mutual TLS on a proxy or load balancer)',
          'the two sides share no cipher suite or signature algorithm',
          'a proxy in front of the API server is misconfigured (wrong certificate or key, TLS inspection)',
        ],
        fix: [
          'openssl s_client -connect <host>:<port> </dev/null 2>&1 | grep -iE "alert|Acceptable client certificate CA|verify"   # which alert, and which client CAs the server accepts',
          'kubectl config view --minify   # which client certificate the kubeconfig sends',
          'ss -tlnp | grep <port>   # on the host: the API server, or a proxy?',
        ],
      },
      {
        when: { tls: 'protocol' },
        label: 'no TLS version or application protocol in common',
        symptom: "kubectl fails with 'remote error: tls: no application protocol' or 'protocol version not supported'",
        causes: [
          'the server speaks only HTTP/2 (ALPN h2) or another application protocol, while Kubernetes clients also need http/1.1: a gRPC or HTTP/2-only proxy sits on this port',
          'the server offers only TLS 1.0 or 1.1 (an old load balancer or proxy); Kubernetes clients need TLS 1.2 or newer',
          'the port belongs to another TLS service',
        ],
        fix: [
          'openssl s_client -connect <host>:<port> -alpn http/1.1 -brief </dev/null   # fails with no application protocol on an HTTP/2-only server',
          'openssl s_client -connect <host>:<port> -tls1_2 -brief </dev/null   # is TLS 1.2 offered?',
          'ss -tlnp | grep <port>   # on the host: which process listens',
          'point the kubeconfig at the API server itself, or set the proxy to TCP passthrough',
        ],
      },
      {
        when: { tls: 'oversized' },
        label: 'certificate chain or TLS record too large',
        symptom: "kubectl fails with 'tls: oversized record received' or 'excessive message size'",
        causes: [
          'the server sends a certificate chain larger than clients accept (a whole CA bundle, or huge certificates, in the serving certificate file)',
          'something that is not TLS answers with a huge first record',
          'a middlebox corrupts the stream',
        ],
        fix: [
          'openssl s_client -connect <host>:<port> -showcerts </dev/null 2>/dev/null | grep -c "BEGIN CERTIFICATE"   # how many certificates it serves',
          'serve only the leaf and its intermediates: the --tls-cert-file holds the chain, not every CA',
          'ss -tlnp | grep <port>   # on the host: which process listens',
        ],
      },
      {
        when: { tls: 'not-yet-valid' },
        label: 'certificate not valid yet',
        causes: ['the clock of this machine or of the server is wrong (clock skew)', 'the certificate was issued with a start date in the future'],
        fix: [
          'timedatectl status; chronyc tracking   # on both sides',
          'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -dates',
        ],
      },
      {
        when: { tls: 'unknown-authority' },
        label: 'signed by a CA the kubeconfig does not trust',
        symptom: "kubectl fails with 'x509: certificate signed by unknown authority'",
        causes: [
          'the kubeconfig carries a different cluster CA than the one that signed the serving certificate (cluster rebuilt, CA rotated, wrong kubeconfig)',
          'a proxy or load balancer terminates TLS with its own certificate',
        ],
        fix: [
          'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -issuer -subject   # who signed what is served',
          'kubectl config view --raw --minify -o jsonpath="{.clusters[0].cluster.certificate-authority-data}" | base64 -d | openssl x509 -noout -subject   # the CA the kubeconfig trusts',
        ],
      },
      {
        when: { tls: 'name-mismatch' },
        label: 'address not in the certificate',
        symptom: "kubectl fails with 'x509: certificate is valid for …, not …'",
        causes: [
          "the address used is not among the certificate's SANs (a new load balancer, IP or DNS name)",
          'the kubeconfig names another host than the one meant',
        ],
        fix: [
          'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName   # the names it is valid for',
          'add the address to the serving certificate: kubeadm --apiserver-cert-extra-sans, k3s and RKE2 tls-san in config.yaml, Talos machine.certSANs',
        ],
      },
      ...onManaged('fails the TLS handshake'),
      {
        when: { tls: 'expired', distribution: ['k3s', 'rke2'] },
        label: 'expired, on k3s or RKE2',
        causes: [
          'the serving certificate is past its one-year lifetime: k3s and RKE2 renew leaves only when they start within 120 days of expiry (90 before the May 2025 releases), and this server has not restarted in that window',
          'the clock of this machine or of the server is wrong',
        ],
        fix: ['@renew-certificates', 'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -dates'],
      },
      {
        when: { tls: 'expired' },
        label: 'expired certificate',
        causes: ['the API server serves an expired certificate (kubeadm certificates last one year)', 'the clock of this machine or of the server is wrong'],
        fix: ['@renew-certificates', 'openssl s_client -connect <host>:<port> </dev/null 2>/dev/null | openssl x509 -noout -dates', 'timedatectl status'],
      },
    ],
    keywords: ['x509', 'certificate', 'tls', 'ssl', 'unknown authority', 'certificate has expired', 'handshake', 'not valid for'],
    docs: `${K8S}/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
  },
  'apiserver-unauthorized': {
    component: 'apiserver',
    title: 'API server rejects the credentials (401)',
    severity: 'crit',
    symptom: "kubectl fails with 'error: You must be logged in to the server (Unauthorized)'",
    causes: [
      "the kubeconfig's client certificate has expired or was issued by another CA",
      'the bearer token expired, was revoked, or belongs to a deleted service account',
      'an exec/OIDC credential plugin returned no or stale credentials',
    ],
    fix: [
      'kubectl config view --minify   # which user and auth method is in use',
      'openssl x509 -noout -enddate -issuer -in <(kubectl config view --raw --minify -o jsonpath="{.users[0].user.client-certificate-data}" | base64 -d)',
    ],
    variants: [
      {
        when: { credential: 'token' },
        label: 'with a bearer token',
        causes: [
          'the token has expired (tokens from kubectl create token or a pod last hours, not forever)',
          'it was revoked: its service account or Secret was deleted',
          'it was signed by another cluster or another service-account key (cluster rebuilt, --service-account-key-file changed)',
        ],
        fix: [
          'kubectl config view --minify   # which user, and that it carries a token',
          'kubectl get serviceaccount <service-account> -n <namespace>   # with another working credential: does the account still exist?',
          'kubectl create token <service-account> -n <namespace>   # a fresh token for the kubeconfig user',
        ],
      },
      {
        when: { credential: 'client-certificate' },
        label: 'with a client certificate',
        causes: [
          "the kubeconfig's client certificate has expired (kubeadm's admin.conf lasts one year)",
          "it was issued by another CA than the cluster's (cluster rebuilt, CA rotated)",
        ],
        fix: [
          'openssl x509 -noout -enddate -issuer -in <(kubectl config view --raw --minify -o jsonpath="{.users[0].user.client-certificate-data}" | base64 -d)   # expiry and issuer',
          'kubectl config view --minify   # which user and file',
          '@renew-certificates',
        ],
      },
      {
        when: { credential: ['exec', 'auth-provider'] },
        label: 'with a credential plugin',
        causes: [
          'the plugin returned a stale or wrong credential (a cached token of another account or cluster)',
          'the identity it returns is not known to the cluster (EKS: no access entry or aws-auth mapping; AKS: not in the cluster admin group)',
        ],
        fix: [
          `${EXEC_INFO} $(kubectl config view --minify -o jsonpath='{.users[0].user.exec.command} {.users[0].user.exec.args[*]}') >/dev/null   # runs the plugin as kubectl does; its stderr says who it logs in as`,
          'kubectl config view --minify   # the plugin, its arguments and environment',
          'log in again with the tool behind the plugin (aws sso login, gcloud auth login, az login, kubectl oidc-login)',
        ],
      },
    ],
    keywords: ['unauthorized', '401', 'logged in', 'you must be logged in', 'token expired', 'credentials'],
    docs: `${K8S}/reference/access-authn-authz/authentication/`,
  },
  'apiserver-credentials-unavailable': {
    component: 'apiserver',
    title: "The kubeconfig's credential plugin gives no credentials",
    severity: 'crit',
    symptom: "kubectl fails with 'getting credentials: exec: executable … failed with exit code 1' or '… not found' before it reaches the server",
    causes: [
      "the plugin's own login has expired or was never made (aws sso login, gcloud auth login, az login, an OIDC refresh token)",
      'the plugin (aws, gke-gcloud-auth-plugin, kubelogin …) is not installed or not on PATH',
      'it needs an interactive terminal, a browser or environment variables this run does not have',
    ],
    fix: [
      `${EXEC_INFO} $(kubectl config view --minify -o jsonpath='{.users[0].user.exec.command} {.users[0].user.exec.args[*]}') >/dev/null   # runs the plugin as kubectl does; its stderr says why it fails`,
      'kubectl config view --minify   # the plugin, its arguments, its environment and installHint',
      'log in again with the tool behind the plugin (aws sso login, gcloud auth login, az login, kubectl oidc-login)',
    ],
    keywords: [
      'getting credentials',
      'exec plugin',
      'executable not found',
      'exit code',
      'gke-gcloud-auth-plugin',
      'aws eks get-token',
      'kubelogin',
      'credential plugin',
    ],
    docs: `${K8S}/reference/access-authn-authz/authentication/#client-go-credential-plugins`,
  },
  'apiserver-forbidden': {
    component: 'apiserver',
    title: 'Credentials lack a permission (403)',
    severity: 'warn',
    symptom: "kubectl fails with 'Error from server (Forbidden): … cannot list resource …'",
    causes: [
      'the user or service account has no RBAC rule for the resource or non-resource URL',
      'a ClusterRoleBinding was removed or points at another subject',
    ],
    fix: [
      'kubectl auth can-i --list   # what this identity may do',
      'kubectl auth can-i list nodes; kubectl auth can-i get /readyz',
      "apply the read-only ClusterRole from k8sdoc's README (deploy/rbac.yaml)",
    ],
    keywords: ['forbidden', '403', 'rbac', 'permission', 'cannot list'],
    docs: `${K8S}/reference/access-authn-authz/rbac/`,
  },
  'apiserver-dns': {
    component: 'apiserver',
    title: 'API server host name does not resolve',
    severity: 'crit',
    symptom: "kubectl fails with 'dial tcp: lookup <name>: no such host'",
    causes: ['the kubeconfig names a host that DNS (or /etc/hosts) does not know', 'the DNS server of this machine is unreachable'],
    fix: ['getent hosts <name>', 'kubectl config view --minify -o jsonpath="{.clusters[0].cluster.server}"', 'cat /etc/resolv.conf'],
    keywords: ['no such host', 'dns', 'lookup', 'resolve', 'ENOTFOUND'],
    docs: `${K8S}/concepts/configuration/organize-cluster-access-kubeconfig/`,
  },
  'apiserver-unreachable': {
    component: 'apiserver',
    title: 'No route to the API server',
    severity: 'crit',
    symptom: "kubectl fails with 'connect: no route to host' or 'network is unreachable'",
    causes: ['the host is down or not on this network', 'a firewall rejects the connection with ICMP', 'VPN or jump host not connected'],
    fix: ['ping -c 3 <host>', 'ip route get <host>', 'traceroute -T -p 6443 <host>'],
    keywords: ['no route to host', 'unreachable', 'network is unreachable', 'EHOSTUNREACH'],
    docs: `${K8S}/tasks/debug/debug-cluster/`,
  },
  'apiserver-bad-response': {
    component: 'apiserver',
    title: 'API server answers with something that is not the Kubernetes API',
    severity: 'crit',
    symptom: 'kubectl prints odd errors (unexpected HTML, truncated JSON, redirects)',
    causes: [
      'a proxy or load balancer answers instead of the API server',
      'the URL points at the wrong port or service',
      'the API server is overloaded and cuts responses',
    ],
    fix: ['curl -sk https://<host>:6443/version', 'check the load balancer backend configuration (HAProxy: backend servers on :6443, TCP mode)'],
    keywords: ['html', 'unexpected response', 'proxy', 'redirect', 'invalid json'],
    docs: `${K8S}/concepts/configuration/organize-cluster-access-kubeconfig/`,
  },
  'apiserver-not-ready': {
    component: 'apiserver',
    title: 'API server reports not ready',
    severity: 'crit',
    symptom: '/readyz fails: kubectl is slow or fails intermittently; changes are not applied',
    causes: [
      'the API server cannot reach etcd ([-]etcd failed): etcd lost quorum or the apiserver-etcd-client certificate is invalid',
      'a post-start hook has not finished (recently restarted API server)',
      'the API server is shutting down',
    ],
    fix: ["kubectl get --raw '/readyz?verbose'   # which named checks fail", 'k8sdoc check --only etcd   # when [-]etcd failed', '@logs kube-apiserver'],
    variants: [
      {
        when: { distribution: MANAGED },
        label: 'managed control plane (EKS, GKE, AKS)',
        causes: [
          "the provider's API server or its datastore is degraded: the control plane is the provider's, not yours",
          'an upgrade or maintenance of the control plane is in progress',
        ],
        fix: ["kubectl get --raw '/readyz?verbose'   # which named checks fail", '@status kube-apiserver', PROVIDER_SUPPORT],
      },
      {
        when: { distribution: ['k3s', 'microk8s'] },
        label: 'API server behind kine or dqlite',
        causes: [
          'the datastore does not answer: embedded etcd without quorum, the SQL database behind kine, or dqlite without its majority',
          'the server process (k3s, kubelite) has just restarted and has not finished starting',
        ],
        fix: ["kubectl get --raw '/readyz?verbose'   # which named checks fail", '@logs kube-apiserver', '@status kube-apiserver'],
      },
    ],
    keywords: ['readyz', 'not ready', 'etcd failed', 'healthz'],
    docs: `${K8S}/reference/using-api/health-checks/`,
  },
  'apiserver-not-live': {
    component: 'apiserver',
    title: 'API server reports not live',
    severity: 'crit',
    symptom: '/livez fails: the kubelet will restart the API server soon',
    causes: ['the API server process is deadlocked or out of memory', 'a livez check (e.g. etcd) has failed for a long time'],
    fix: ["kubectl get --raw '/livez?verbose'", '@status kube-apiserver', '@logs kube-apiserver'],
    variants: [
      {
        when: { distribution: MANAGED },
        label: 'managed control plane (EKS, GKE, AKS)',
        causes: ["the provider's API server is failing: the control plane is the provider's, not yours"],
        fix: ["kubectl get --raw '/livez?verbose'", '@status kube-apiserver', PROVIDER_SUPPORT],
      },
    ],
    keywords: ['livez', 'not live', 'liveness', 'restarting'],
    docs: `${K8S}/reference/using-api/health-checks/`,
  },
  'apiserver-latency-high': {
    component: 'apiserver',
    title: 'API server request latency is high',
    severity: 'warn',
    symptom: 'kubectl and controllers are slow; requests take more than a second',
    causes: [
      'etcd is slow (disk latency: fsync, defragmentation needed, database near its quota)',
      'too many LIST requests (controllers or scripts without pagination)',
      'the control-plane hosts are short of CPU or memory',
    ],
    fix: [
      'kubectl get --raw /metrics | grep apiserver_request_duration_seconds',
      'etcdctl endpoint status --cluster -w table   # db size, leader',
      "kubectl get --raw /metrics | grep -E 'apiserver_flowcontrol_rejected_requests_total|etcd_request_duration'",
    ],
    keywords: ['slow', 'latency', 'performance', 'kubectl slow', 'sluggish'],
    docs: `${K8S}/concepts/cluster-administration/system-metrics/`,
  },
  'control-plane-not-ha': {
    component: 'apiserver',
    title: 'Control plane is not highly available',
    severity: 'warn',
    symptom: 'the cluster runs, but losing one control-plane node would stop it',
    causes: [
      'fewer than 3 control-plane nodes, or an even number (etcd needs a majority: 3 tolerate one failure, 4 still only one)',
      'the kubeconfig points at a single master instead of a load balancer in front of all API servers',
    ],
    fix: [
      'kubectl get nodes -l node-role.kubernetes.io/control-plane   # how many masters, and which',
      'run 3 control-plane nodes (kubeadm join --control-plane) so that etcd keeps quorum when one fails',
      'put a load balancer (HAProxy, OPNsense, keepalived VIP) in front of the API servers on :6443 and point kubeconfigs at it',
    ],
    keywords: ['ha', 'high availability', 'single master', 'load balancer', 'haproxy', 'spof', 'single point of failure'],
    docs: `${K8S}/setup/production-environment/tools/kubeadm/high-availability/`,
  },

  // ── etcd ─────────────────────────────────────────────────────────────────────
  'etcd-quorum-lost': {
    component: 'etcd',
    title: 'etcd has lost quorum',
    severity: 'crit',
    symptom: 'changes are not applied (kubectl apply hangs or times out), the API server is not ready or does not start: the cluster is read-only',
    causes: [
      'a majority of etcd members is down: e.g. 2 of 3 control-plane nodes offline',
      'a member was removed or deleted earlier (the "zombie" cluster) and now one more member restarted',
      'members cannot reach each other on port 2380 (firewall, network partition)',
    ],
    // Without quorum no membership change goes through (member remove/add need a majority): the
    // way back is the stopped members, and only when a majority is gone for good a restore.
    fix: [
      '@status etcd',
      '@logs etcd',
      '<etcdctl> endpoint status -w table   # which members answer; those that do not are listed below the table',
      'bring the stopped members back first (start the node, or etcd on it): with a majority back, etcd heals itself; no member can be removed or added without quorum',
      '@etcd-restore',
      'restore only when a majority is gone for good: from the newest snapshot, on every member, as a new cluster (the steps above are for this distribution)',
    ],
    keywords: [
      'quorum',
      'read-only',
      'read only',
      'changes not applied',
      'no majority',
      'etcd down',
      'etcdserver: request timed out',
      'possibly due to previous leader failure',
      'the server was unable to return a response in the time allotted',
      'error retrieving resource lock',
      'zombie',
    ],
    docs: `${ETCD}/recovery/`,
  },
  'etcd-quorum-at-risk': {
    component: 'etcd',
    title: 'etcd tolerates no further failure',
    severity: 'warn',
    symptom: 'the cluster works, but one more failed or rebooted member makes it read-only',
    causes: ['a member is down or unreachable, so the cluster has no fault tolerance left', 'the cluster has only 1 or 2 voting members'],
    fix: [
      'restore the missing member before any maintenance (no rolling reboot now!)',
      '<etcdctl> member list -w table   # the member that is missing, its id and URLs',
      '@status etcd',
      'run an odd number of members, 3 or 5 (3 tolerate 1 failure, 5 tolerate 2)',
    ],
    keywords: ['quorum', 'fault tolerance', 'one more failure', 'at risk', 'degraded'],
    docs: `${ETCD}/failures/`,
  },
  'etcd-even-members': {
    component: 'etcd',
    title: 'etcd has an even number of voting members',
    severity: 'warn',
    symptom: 'no visible symptom yet: the extra member adds load but no fault tolerance',
    causes: ['a member was added without a fifth, or one of five was removed: 4 members tolerate only 1 failure, like 3'],
    fix: [
      '<etcdctl> member list -w table',
      'add or remove a member so the count is odd (3, 5, 7)',
      'never remove a member "just to save RAM": check quorum first',
    ],
    keywords: ['even', 'odd number', '4 members', 'member count', 'zombie'],
    docs: `${ETCD}/runtime-configuration/`,
  },
  'etcd-member-unreachable': {
    component: 'etcd',
    title: 'An etcd member does not answer',
    // One of N lost is crit alike for an API server (apiserver-refused/-timeout), an etcd member
    // and a kubelet (kubelet-unreachable): a machine-level component is down and a person must
    // act on that machine. What the loss does to the cluster is graded on its own:
    // etcd-quorum-at-risk and control-plane-not-ha warn (redundancy spent, the cluster works),
    // etcd-quorum-lost crit (redundancy gone). A root cause is lifted to the gravest finding it
    // explains (engine/report.ts), so a member down reads as one crit problem whatever explains it.
    severity: 'crit',
    symptom: "etcdctl reports 'unhealthy cluster' or 'context deadline exceeded' for one endpoint",
    causes: [
      'the member process or its host is down (or hung: it accepts TCP but never answers)',
      'the machine was deleted but the member is still in the member list (zombie member)',
      "the member was added with 'etcdctl member add' but etcd was never started on the new machine",
      'a firewall blocks port 2379/2380, or its certificate is invalid',
    ],
    fix: [
      '@status etcd',
      '@logs etcd',
      '<etcdctl> member list -w table   # its id, name and URLs',
      'bring the member back if its machine is there; only if the machine is gone for good, remove the member and add a replacement (needs quorum)',
    ],
    variants: [
      {
        when: { quorum: 'lost' },
        label: 'quorum lost',
        causes: [
          'this member is one of a majority that is down: its process or host stopped',
          'members cannot reach each other on port 2380 (firewall, network partition)',
        ],
        // No member remove here: it needs the quorum that is missing.
        fix: [
          '@status etcd',
          '@logs etcd',
          'bring this member back (start the node, or etcd on it): no member can be removed or added without quorum',
          '@etcd-restore',
          'restore from a snapshot only when a majority is gone for good',
        ],
      },
      {
        when: { quorum: 'present' },
        label: 'quorum kept',
        fix: [
          '@status etcd',
          '@logs etcd',
          '<etcdctl> member list -w table   # its id, name and URLs',
          'bring the member back if its machine is there; if it is gone for good, remove it and add a replacement:',
          '@etcd-remove-member',
        ],
      },
    ],
    keywords: ['member', 'unhealthy', 'unreachable', 'etcd down', 'zombie', 'deleted master'],
    docs: `${ETCD}/runtime-configuration/`,
  },
  'etcd-no-leader': {
    component: 'etcd',
    title: 'etcd has no (agreed) leader',
    severity: 'crit',
    symptom: "writes fail with 'etcdserver: no leader' or 'etcdserver: leader changed'",
    causes: [
      'no majority of members can talk to each other (lost quorum or network partition on 2380)',
      'elections repeat because of slow disks or overloaded hosts',
    ],
    fix: [
      '<etcdctl> endpoint status -w table   # IS LEADER column; members that do not answer are listed below the table',
      'nc -vz -w 3 <host> 2380   # from each member host to the others: peer connectivity',
      '@logs etcd',
    ],
    keywords: ['no leader', 'leader changed', 'election'],
    docs: `${ETCD}/failures/`,
  },
  'etcd-members-disagree': {
    component: 'etcd',
    title: 'etcd members disagree on the member list',
    severity: 'warn',
    symptom: 'etcdctl member list shows different members depending on the endpoint asked',
    causes: [
      'a member was added or removed while another member was down and has not caught up',
      'a member belongs to a different cluster (wrong --initial-cluster)',
    ],
    fix: [
      '<etcdctl> endpoint status -w json   # cluster_id and member_id per endpoint',
      'ask each member on its own with --endpoints=<that member client URL> member list -w table, and compare',
    ],
    keywords: ['member list', 'disagree', 'split brain', 'cluster id'],
    docs: `${ETCD}/runtime-configuration/`,
  },
  'etcd-raft-lagging': {
    component: 'etcd',
    title: 'An etcd member lags behind',
    severity: 'warn',
    symptom: 'reads from one member return old data; the member uses much CPU catching up',
    causes: ['a slow disk or an overloaded host on that member', 'the member was restarted and is replaying a snapshot'],
    fix: ['<etcdctl> endpoint status -w table   # RAFT INDEX per member', 'check disk latency: etcd_disk_wal_fsync_duration_seconds on /metrics'],
    keywords: ['lag', 'raft index', 'behind', 'slow member'],
    docs: 'https://etcd.io/docs/v3.5/tuning/',
  },
  'etcd-alarm-nospace': {
    component: 'etcd',
    title: 'etcd is out of space (NOSPACE alarm)',
    severity: 'crit',
    symptom: "writes fail with 'etcdserver: mvcc: database space exceeded': the cluster is read-only",
    causes: ['the database reached its quota (--quota-backend-bytes, 2 GiB by default)', 'no compaction ran, or history grew faster than it was compacted'],
    fix: [
      '<etcdctl> alarm list',
      'rev=$(<etcdctl> endpoint status -w json | grep -o \'"revision":[0-9]*\' | grep -o \'[0-9].*\' | sort -n | tail -n1); <etcdctl> compact "$rev"',
      '<etcdctl-member> defrag   # this member; then each other member in turn, the leader last: defrag blocks the member while it runs',
      '<etcdctl> alarm disarm   # only after compaction and defrag, or the alarm comes back',
      'consider a larger --quota-backend-bytes (up to 8 GiB)',
    ],
    keywords: ['database space exceeded', 'nospace', 'no space', 'quota', 'mvcc', 'disk full', 'changes not applied'],
    docs: `${ETCD}/maintenance/#space-quota`,
  },
  'etcd-alarm-corrupt': {
    component: 'etcd',
    title: 'etcd raised a CORRUPT alarm',
    severity: 'crit',
    symptom: 'etcd refuses writes; members hold different data',
    causes: ["a member's data diverged (disk fault, bug, restored from the wrong snapshot)"],
    fix: [
      '<etcdctl> alarm list',
      '<etcdctl> endpoint hashkv -w table   # the member whose hash differs is the corrupt one',
      'remove and re-add that member with an empty data dir (needs quorum), or restore the whole cluster from a snapshot',
      '@etcd-members',
    ],
    keywords: ['corrupt', 'corruption', 'hash mismatch'],
    docs: `${ETCD}/maintenance/`,
  },
  'etcd-db-near-quota': {
    component: 'etcd',
    title: 'etcd database is close to its quota',
    severity: 'warn',
    grades: { full: { severity: 'crit', when: 'above 95 % of the quota, or etcd has raised NOSPACE for the member' } },
    symptom: 'below the quota nothing shows yet; at 100 % etcd raises NOSPACE and the cluster becomes read-only (writes fail with database space exceeded)',
    causes: ['many objects or much history (events, large ConfigMaps/Secrets)', 'no compaction or defragmentation for a long time'],
    fix: [
      '<etcdctl> endpoint status -w table   # DB SIZE',
      '<etcdctl-member> defrag   # this member; then each other member in turn, the leader last',
      'raise --quota-backend-bytes if the data really needs it',
    ],
    variants: [
      {
        when: { alarm: 'nospace' },
        label: 'NOSPACE raised',
        symptom: "writes fail with 'etcdserver: mvcc: database space exceeded': the cluster is read-only until the alarm is disarmed",
        causes: ['the database reached its quota and etcd raised NOSPACE', 'no compaction ran, or history grew faster than it was compacted'],
        fix: [
          '<etcdctl> alarm list',
          'rev=$(<etcdctl> endpoint status -w json | grep -o \'"revision":[0-9]*\' | grep -o \'[0-9].*\' | sort -n | tail -n1); <etcdctl> compact "$rev"',
          '<etcdctl-member> defrag   # this member; then each other member in turn, the leader last',
          '<etcdctl> alarm disarm   # only after compaction and defrag, or the alarm comes back',
        ],
      },
    ],
    keywords: ['db size', 'quota', 'database size', 'full'],
    docs: `${ETCD}/maintenance/#space-quota`,
  },
  'etcd-db-fragmented': {
    component: 'etcd',
    title: 'etcd database is fragmented',
    severity: 'warn',
    symptom: 'the database file is much larger than the data it holds',
    causes: ['compaction freed space inside the file but no defragmentation returned it'],
    fix: [
      '<etcdctl> endpoint status -w table   # DB SIZE per member',
      '<etcdctl-member> defrag   # this member; then each other member in turn, the leader last',
    ],
    keywords: ['defrag', 'fragmented', 'db size in use'],
    docs: `${ETCD}/maintenance/#defragmentation`,
  },
  'etcd-backup-stale': {
    component: 'etcd',
    title: 'The newest etcd snapshot is too old',
    severity: 'warn',
    symptom: 'a restore would lose everything since the last snapshot',
    causes: ['the backup job (cron, systemd timer, Proxmox backup) stopped or fails', 'snapshots are written somewhere else now'],
    fix: ['@etcd-snapshot', 'systemctl list-timers | grep etcd   # then the backup job logs', 'back up hourly and keep copies outside the cluster'],
    keywords: ['backup', 'snapshot', 'restore', 'old backup'],
    docs: `${ETCD}/recovery/#snapshotting-the-keyspace`,
  },
  'etcd-backup-missing': {
    component: 'etcd',
    title: 'No etcd snapshot found',
    severity: 'crit',
    symptom: 'there is nothing to restore from if etcd is lost',
    causes: ['the backup folder does not exist or is empty', 'backups were never set up'],
    fix: ['@etcd-snapshot', 'schedule it hourly (systemd timer or cron) and copy snapshots off the cluster'],
    keywords: ['backup', 'no backup', 'snapshot missing'],
    docs: `${ETCD}/recovery/#snapshotting-the-keyspace`,
  },
  'etcd-no-credentials': {
    component: 'etcd',
    title: 'No etcd client certificate: etcd judged indirectly',
    severity: 'warn',
    symptom: 'etcd cannot be asked directly from this machine',
    causes: ['k8sdoc runs on a jump host without the etcd client certificate', 'the certificate files are not readable by this user'],
    fix: [
      "sudo k8sdoc check --only etcd   # on a control-plane node, with kubeadm's healthcheck-client certificate",
      'run k8sdoc on a control-plane node as root, or pass --etcd-cacert, --etcd-cert, --etcd-key',
      'on kubeadm: /etc/kubernetes/pki/etcd/{ca.crt,healthcheck-client.crt,healthcheck-client.key}',
    ],
    keywords: ['etcd certificate', 'credentials', 'cacert'],
    docs: `${K8S}/setup/best-practices/certificates/`,
  },
  'etcd-auth-failed': {
    component: 'etcd',
    title: 'etcd rejects the client certificate',
    severity: 'crit',
    symptom: "etcdctl fails with 'tls: bad certificate' or 'certificate signed by unknown authority'",
    causes: ['the client certificate is from another CA, expired, or not a client certificate', 'the CA file given does not match the etcd server certificate'],
    fix: [
      'openssl x509 -noout -issuer -enddate -in <cert>',
      "use the distribution's etcd client certificate: kubeadm /etc/kubernetes/pki/etcd/healthcheck-client.crt with /etc/kubernetes/pki/etcd/ca.crt; k3s and RKE2 server/tls/etcd/client.crt with server-ca.crt",
      '@etcd-members',
    ],
    keywords: ['bad certificate', 'etcd tls', 'unknown authority'],
    docs: `${ETCD}/security/`,
  },

  // ── control plane: scheduler, controller-manager, control-plane pods ──────────
  'controller-manager-no-leader': {
    component: 'control-plane',
    title: 'No kube-controller-manager holds its leader Lease',
    severity: 'crit',
    symptom:
      "changes are not applied: a Deployment's new ReplicaSet or pods never appear, deleted pods are not replaced, nodes are not marked NotReady, Services get no endpoints, although kubectl apply succeeds",
    causes: [
      'every kube-controller-manager has crashed or is crash-looping (bad flag, unreadable controller-manager.conf, expired client certificate)',
      'the controller-managers run but cannot renew the Lease: the API server or etcd is failing (etcd without quorum, request timeouts)',
    ],
    fix: [
      'kubectl -n kube-system get lease kube-controller-manager -o yaml   # holderIdentity and renewTime',
      '@status kube-controller-manager',
      '@logs kube-controller-manager',
      'kubeadm certs check-expiration   # controller-manager.conf expired?',
    ],
    variants: [
      {
        when: { distribution: ['k3s', 'microk8s'] },
        label: 'in the server process (k3s, MicroK8s)',
        causes: [
          'the server process (k3s server, kubelite) is stopped or its controller loop died: the controller-manager runs inside it, not as a pod',
          'the controller-manager cannot renew the Lease: the API server or the datastore is failing',
        ],
        fix: [
          'kubectl -n kube-system get lease kube-controller-manager -o yaml   # holderIdentity and renewTime',
          '@status kube-controller-manager',
          '@logs kube-controller-manager',
        ],
      },
      {
        when: { distribution: MANAGED },
        label: 'managed control plane (EKS, GKE, AKS)',
        causes: ["the provider's controller-manager is failing: the control plane is the provider's, not yours"],
        fix: [
          'kubectl -n kube-system get lease kube-controller-manager -o yaml   # holderIdentity and renewTime',
          '@status kube-controller-manager',
          PROVIDER_SUPPORT,
        ],
      },
    ],
    keywords: [
      'changes not applied',
      'deployment not updating',
      'replicas not created',
      'pods not recreated',
      'controller manager',
      'kube-controller-manager',
      'leaderelection lost',
      'failed to renew lease',
      'error retrieving resource lock kube-system/kube-controller-manager',
      'no leader',
    ],
    docs: `${K8S}/reference/command-line-tools-reference/kube-controller-manager/`,
  },
  'scheduler-no-leader': {
    component: 'control-plane',
    title: 'No kube-scheduler holds its leader Lease',
    severity: 'crit',
    symptom: "new pods stay Pending with no node and no events (not even 'FailedScheduling'); kubectl describe pod shows no Node",
    causes: [
      'every kube-scheduler has crashed or is crash-looping (bad flag, unreadable scheduler.conf, expired client certificate)',
      'the schedulers run but cannot renew the Lease: the API server or etcd is failing',
    ],
    fix: ['kubectl -n kube-system get lease kube-scheduler -o yaml   # holderIdentity and renewTime', '@status kube-scheduler', '@logs kube-scheduler'],
    variants: [
      {
        when: { distribution: ['k3s', 'microk8s'] },
        label: 'in the server process (k3s, MicroK8s)',
        causes: [
          'the server process (k3s server, kubelite) is stopped: the scheduler runs inside it, not as a pod',
          'the scheduler cannot renew the Lease: the API server or the datastore is failing',
        ],
      },
      {
        when: { distribution: MANAGED },
        label: 'managed control plane (EKS, GKE, AKS)',
        causes: ["the provider's scheduler is failing: the control plane is the provider's, not yours"],
        fix: ['kubectl -n kube-system get lease kube-scheduler -o yaml   # holderIdentity and renewTime', '@status kube-scheduler', PROVIDER_SUPPORT],
      },
    ],
    keywords: ['pending', 'pods pending', 'stuck pending', 'not scheduled', 'scheduler', 'kube-scheduler', 'no node assigned', 'leaderelection lost'],
    docs: `${K8S}/concepts/scheduling-eviction/kube-scheduler/`,
  },
  'pods-unscheduled': {
    component: 'control-plane',
    title: 'Pods wait for a scheduler that never looks at them',
    severity: 'warn',
    symptom: "pods stay Pending without a node and without a 'FailedScheduling' event or PodScheduled condition",
    causes: ['no kube-scheduler is running or none holds the leader Lease', 'the pods name a schedulerName that no running scheduler serves'],
    fix: [
      'kubectl get pods -A --field-selector=status.phase=Pending -o wide',
      'kubectl -n kube-system get lease kube-scheduler -o yaml',
      "kubectl get pod <name> -n <namespace> -o jsonpath='{.spec.schedulerName}'   # a scheduler that exists?",
    ],
    keywords: ['pending', 'pods stay pending', 'stuck in pending', 'not scheduled', 'unscheduled', 'no nodes available'],
    docs: `${K8S}/concepts/scheduling-eviction/kube-scheduler/`,
  },
  'control-plane-pod-crashloop': {
    component: 'control-plane',
    title: 'A control-plane pod is crash-looping',
    severity: 'crit',
    symptom:
      "kubectl -n kube-system get pods shows a control-plane pod in CrashLoopBackOff with a growing RESTARTS count; 'back-off restarting failed container'",
    causes: [
      'a certificate it needs has expired (apiserver-etcd-client, the component kubeconfig, etcd peer or server)',
      'what it depends on is down: etcd for the API server, the API server for the scheduler and controller-manager',
      'a bad flag or manifest edit in /etc/kubernetes/manifests, or a data directory it cannot read (etcd)',
      'the port it binds is taken by another process',
    ],
    fix: [
      'kubectl -n kube-system logs <pod> --previous   # the last run, as it ended',
      '@logs <component>',
      'kubeadm certs check-expiration',
      'ls -l /etc/kubernetes/manifests   # on the node: a manifest edited or moved?',
    ],
    variants: [
      {
        when: { distribution: 'rke2' },
        label: 'RKE2 static pod',
        causes: [
          'a certificate it needs has expired (RKE2 renews them only at start within 120 days of expiry)',
          'what it depends on is down: etcd for the API server, the API server for the scheduler and controller-manager',
          'a bad argument in /etc/rancher/rke2/config.yaml (kube-apiserver-arg and friends)',
        ],
        fix: [
          'kubectl -n kube-system logs <pod> --previous   # the last run, as it ended',
          '@logs <component>',
          'ls -l /var/lib/rancher/rke2/agent/pod-manifests',
        ],
      },
      {
        when: { distribution: 'talos' },
        label: 'Talos static pod',
        causes: [
          'what it depends on is down: etcd for the API server, the API server for the scheduler and controller-manager',
          'a bad extraArgs entry in the machine configuration (cluster.apiServer, controllerManager, scheduler)',
        ],
        fix: ['kubectl -n kube-system logs <pod> --previous   # the last run, as it ended', '@logs <component>', 'talosctl -n <node-ip> health'],
      },
    ],
    keywords: ['crashloopbackoff', 'crash loop', 'back-off restarting failed container', 'static pod', 'restarting', 'etcd pod', 'apiserver pod'],
    docs: `${K8S}/tasks/debug/debug-application/debug-pods/`,
  },
  'control-plane-pod-not-ready': {
    component: 'control-plane',
    title: 'A control-plane pod is not Ready',
    severity: 'warn',
    symptom: 'kubectl -n kube-system get pods shows a control-plane pod 0/1 Ready',
    causes: ['its readiness probe fails: the API server cannot reach etcd, etcd has no leader', 'the node it runs on stopped reporting (its kubelet is down)'],
    fix: ['kubectl -n kube-system describe pod <pod>   # the failing probe', 'kubectl -n kube-system logs <pod>', 'kubectl get nodes -o wide'],
    keywords: ['not ready', '0/1', 'readiness probe failed', 'static pod'],
    docs: `${K8S}/tasks/debug/debug-application/debug-pods/`,
  },
  'control-plane-pod-restarting': {
    component: 'control-plane',
    title: 'A control-plane pod restarted recently',
    severity: 'warn',
    symptom: 'the RESTARTS column of a control-plane pod grows; brief API errors or leader changes',
    causes: [
      "it lost its leader Lease and exited ('leaderelection lost'): the API server or etcd answered too slowly",
      'it was killed for memory (OOMKilled) or its liveness probe failed',
    ],
    fix: ['kubectl -n kube-system logs <pod> --previous', 'kubectl -n kube-system describe pod <pod>   # Last State: reason and exit code'],
    keywords: ['restarts', 'restart count', 'oomkilled', 'leaderelection lost'],
    docs: `${K8S}/tasks/debug/debug-application/debug-pods/`,
  },
  'control-plane-pod-missing': {
    component: 'control-plane',
    title: 'A control-plane node lacks one of its static pods',
    severity: 'warn',
    symptom: 'kubectl -n kube-system get pods shows fewer kube-apiserver, kube-scheduler or kube-controller-manager pods than there are control-plane nodes',
    causes: [
      'the static pod manifest was moved out of /etc/kubernetes/manifests (often during maintenance) and not put back',
      "the kubelet cannot create the mirror pod (it cannot reach the API server, or the node's credentials were rejected)",
    ],
    fix: ['ls -l /etc/kubernetes/manifests   # on that node', '@logs kubelet', '@status <component>'],
    variants: [
      {
        when: { distribution: 'rke2' },
        label: 'RKE2 static pods',
        causes: ['rke2-server has not written the manifest (it is still starting, or failed)', 'the kubelet cannot create the mirror pod'],
        fix: ['ls -l /var/lib/rancher/rke2/agent/pod-manifests   # on that node', '@logs kubelet', '@status <component>'],
      },
    ],
    keywords: ['static pod missing', 'mirror pod', 'manifests'],
    docs: `${K8S}/tasks/configure-pod-container/static-pod/`,
  },
  // ── certificates ─────────────────────────────────────────────────────────────
  'cert-expired': {
    component: 'certs',
    title: 'Certificate has expired',
    severity: 'crit',
    symptom: "components fail with 'x509: certificate has expired or is not yet valid'; the API server may refuse connections",
    causes: [
      'kubeadm certificates live one year and were not renewed (no control-plane upgrade in that time)',
      'the file was renewed but the component still serves the old certificate',
    ],
    fix: [
      '@renew-certificates',
      'restart the control-plane static pods: move each manifest out of /etc/kubernetes/manifests and back (wait 20 s between)',
      'for kubeconfigs: copy the renewed /etc/kubernetes/admin.conf to ~/.kube/config',
      "kubelet client certificate (kubelet.conf → /var/lib/kubelet/pki/kubelet-client-current.pem) expired: on a control-plane node `kubeadm kubeconfig user --org system:nodes --client-name system:node:<node> > kubelet.conf`, copy it to the node's /etc/kubernetes/kubelet.conf, systemctl restart kubelet",
    ],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2',
        causes: [
          'k3s and RKE2 renew leaf certificates only when they start within 120 days of expiry (90 before the May 2025 releases): a server that ran for a year without a restart lets them lapse',
          'the clock of the node is wrong',
        ],
        fix: ['@renew-certificates', 'restart the servers first, then the agents, so that every node takes the renewed certificates'],
      },
      {
        when: { distribution: 'microk8s' },
        label: 'MicroK8s',
        causes: ['MicroK8s certificates live one year (its CA ten) and are renewed only by refresh-certs', 'the clock of the node is wrong'],
        fix: ['@renew-certificates'],
      },
      {
        when: { distribution: 'talos' },
        label: 'Talos',
        causes: [
          'Talos renews its certificates itself: an expired one means the node was off for long or its clock is wrong',
          'an admin kubeconfig from talosctl kubeconfig is past its lifetime (one year)',
        ],
        fix: ['talosctl -n <node-ip> time   # clock in sync?', 'talosctl -n <node-ip> kubeconfig   # a fresh admin kubeconfig', 'talosctl -n <node-ip> health'],
      },
      {
        when: { distribution: MANAGED },
        label: 'managed control plane (EKS, GKE, AKS)',
        causes: ['the provider renews the control-plane certificates: an expired certificate here is a kubeconfig or node credential of yours'],
        fix: [
          'aws eks update-kubeconfig --name <cluster>   # EKS: a fresh kubeconfig (GKE: gcloud container clusters get-credentials; AKS: az aks get-credentials)',
          '@renew-certificates',
        ],
      },
    ],
    keywords: ['certificate has expired', 'expired', 'x509', 'cert expired', 'renew'],
    docs: `${K8S}/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
  },
  'cert-expiring': {
    component: 'certs',
    title: 'Certificate expires soon',
    severity: 'warn',
    grades: {
      urgent: { severity: 'crit', when: 'it expires within --crit-days (default 7)' },
      // k3s and RKE2 renew a leaf at their next start once it is within 120 days of expiry
      // (90 before the May 2025 releases): inside that window but outside --warn-days the
      // certificate is a restart away from renewal, which is worth saying but is no problem.
      'auto-renews': {
        severity: 'ok',
        when: "a k3s or RKE2 leaf certificate inside the distribution's renewal window (120 days) but not within --warn-days: the next start of k3s or RKE2 renews it",
      },
    },
    symptom: 'nothing yet: the component will fail when the certificate expires',
    causes: ['kubeadm certificates live one year; they are renewed only by a control-plane upgrade or by hand'],
    fix: ['@renew-certificates', 'kubelet client certificates rotate by themselves when rotateCertificates is true (check /var/lib/kubelet/pki)'],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2',
        causes: [
          'k3s and RKE2 renew leaf certificates when they start within 120 days of expiry (90 before the May 2025 releases): this server has not restarted inside that window',
        ],
        fix: ['@restart', '@renew-certificates'],
      },
      {
        when: { distribution: 'microk8s' },
        label: 'MicroK8s',
        causes: ['MicroK8s certificates live one year and are renewed only by refresh-certs'],
        fix: ['@renew-certificates'],
      },
    ],
    keywords: ['expiring', 'expires soon', 'renew', 'certificate'],
    docs: `${K8S}/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
  },
  'cert-not-yet-valid': {
    component: 'certs',
    title: 'Certificate is not valid yet',
    severity: 'crit',
    symptom: "'x509: certificate has expired or is not yet valid' right after a renewal or on one machine only",
    causes: ['the clock of this machine or of the issuing machine is wrong (clock skew)', 'the certificate was issued with a start date in the future'],
    fix: ['timedatectl status; chronyc tracking', 'fix NTP, then reissue the certificate if its start date is wrong'],
    keywords: ['not yet valid', 'clock', 'skew', 'ntp', 'time'],
    docs: `${K8S}/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
  },
  'cert-ca-expires-first': {
    component: 'certs',
    title: 'A CA expires before the certificates it signed',
    severity: 'warn',
    symptom: 'the leaf certificates look fine, but they stop verifying when the CA expires',
    causes: ['kubeadm CAs live 10 years; a CA created by hand or by another tool may live shorter'],
    fix: [
      'openssl x509 -noout -enddate -in /etc/kubernetes/pki/ca.crt   # when the CA itself expires',
      'plan a CA rotation: https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/',
    ],
    keywords: ['ca expires', 'ca expiry', 'root certificate'],
    docs: `${K8S}/tasks/tls/manual-rotation-of-ca-certificates/`,
  },
  'cert-served-stale': {
    component: 'certs',
    title: 'Endpoint still serves an older certificate than the file on disk',
    severity: 'warn',
    symptom: 'kubeadm certs check-expiration says renewed, yet clients still see the old (expiring) certificate',
    causes: ['the certificate file was renewed but the component was not restarted'],
    fix: [
      'crictl pods --name <component> -q | xargs crictl stopp   # the kubelet restarts the static pod with the renewed file',
      'or move the static pod manifest out of /etc/kubernetes/manifests and back',
      "systemctl restart kubelet   # for the kubelet's own certificate",
    ],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2', 'microk8s'] },
        label: 'k3s, RKE2 or MicroK8s',
        causes: ['the certificate files were renewed (certificate rotate, refresh-certs) but the service was not restarted'],
        fix: ['@restart'],
      },
    ],
    keywords: ['renewed', 'still old certificate', 'restart after renew'],
    docs: `${K8S}/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
  },
  'cert-untrusted': {
    component: 'certs',
    title: 'Served certificate does not verify',
    severity: 'crit',
    symptom: "clients fail with 'certificate signed by unknown authority' or 'certificate is valid for …, not …'",
    causes: ['the certificate was signed by another CA than the cluster CA', 'the host name or IP is missing from its SANs'],
    fix: [
      'openssl s_client -connect <host>:<port> </dev/null | openssl x509 -noout -issuer -ext subjectAltName',
      'kubeadm init phase certs apiserver --apiserver-cert-extra-sans=<name>   # after moving the old apiserver.crt and apiserver.key away',
    ],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2',
        fix: [
          'openssl s_client -connect <host>:<port> </dev/null | openssl x509 -noout -issuer -ext subjectAltName',
          "add the missing name to tls-san in the server's config.yaml (/etc/rancher/k3s or /etc/rancher/rke2) and restart it: it reissues the serving certificate",
        ],
      },
    ],
    keywords: ['unknown authority', 'san', 'wrong name', 'not valid for', 'x509'],
    docs: `${K8S}/setup/best-practices/certificates/`,
  },
  'cert-file-missing': {
    component: 'certs',
    title: 'Expected certificate file is missing',
    severity: 'warn',
    symptom: 'a component that needs this file will not start',
    causes: ['the file was deleted or never created (non-kubeadm layout, external etcd)'],
    fix: ['kubeadm init phase certs all   # recreates missing certificate files with the existing CA', 'ls -l /etc/kubernetes/pki /etc/kubernetes/pki/etcd'],
    variants: [
      {
        when: { file: 'kubeconfig', distribution: ['k3s', 'rke2'] },
        label: 'a k3s or RKE2 kubeconfig',
        causes: ['the kubeconfig was deleted; the server writes it again at start'],
        fix: ['@restart'],
      },
      {
        when: { file: 'kubeconfig' },
        label: 'a kubeconfig file',
        causes: ['the kubeconfig was deleted or moved (often admin.conf, during maintenance)'],
        fix: [
          'kubeadm init phase kubeconfig admin   # recreates /etc/kubernetes/admin.conf with the existing CA (others: init phase kubeconfig controller-manager, scheduler, kubelet)',
          'ls -l /etc/kubernetes',
        ],
      },
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2',
        causes: ['the file was deleted; the server recreates missing leaf certificates from its CA at start'],
        fix: ['@restart', 'ls -l /var/lib/rancher/*/server/tls'],
      },
    ],
    keywords: ['missing certificate', 'file not found', 'pki', 'admin.conf'],
    docs: `${K8S}/setup/best-practices/certificates/`,
  },
  'cert-file-unreadable': {
    component: 'certs',
    title: 'Certificate file cannot be read',
    severity: 'warn',
    symptom: 'k8sdoc cannot judge this certificate',
    causes: ['this user lacks read permission (the PKI folder is root-only)'],
    fix: ['sudo k8sdoc check --only certs   # as root on the control-plane node'],
    keywords: ['permission denied', 'unreadable', 'cannot read'],
    docs: `${K8S}/setup/best-practices/certificates/`,
  },
  'cert-file-invalid': {
    component: 'certs',
    title: 'File is not a valid PEM certificate',
    severity: 'crit',
    symptom: 'the component using this file fails to start or reports a parse error',
    causes: ['the file is truncated or corrupted', 'the file holds a key or something else instead of a certificate'],
    fix: ['openssl x509 -noout -text -in <file>', 'restore the file from backup or reissue it', '@renew-certificates'],
    keywords: ['pem', 'invalid certificate', 'parse', 'corrupt'],
    docs: `${K8S}/setup/best-practices/certificates/`,
  },

  // ── nodes ────────────────────────────────────────────────────────────────────
  'node-not-ready': {
    component: 'nodes',
    title: 'Node is NotReady',
    severity: 'crit',
    symptom: 'kubectl get nodes shows STATUS NotReady; pods on it are evicted after about 5 minutes',
    causes: [
      'the kubelet cannot reach the control plane (kubelet stopped or crashed, network, expired kubelet client certificate)',
      "the host's memory is full (the kubelet or container runtime is OOM-killed or stalls)",
      'the container runtime (containerd, CRI-O) is down or the CNI network plugin is not ready',
    ],
    fix: [
      '@status kubelet',
      '@logs kubelet',
      '@restart kubelet',
      'free -m; dmesg -T | grep -i oom   # on the node: memory full?',
      'kubectl describe node <name>   # conditions and events',
    ],
    variants: [
      {
        when: { distribution: 'talos' },
        label: 'Talos node',
        fix: [
          '@status kubelet',
          '@logs kubelet',
          'talosctl -n <node-ip> dmesg | tail -n 50   # kernel messages: OOM, disk',
          'kubectl describe node <name>   # conditions and events',
        ],
      },
    ],
    keywords: ['notready', 'not ready', 'node down', 'kubelet stopped posting node status', 'node status unknown'],
    docs: `${K8S}/concepts/architecture/nodes/#condition`,
  },
  'node-memory-pressure': {
    component: 'nodes',
    title: 'Node is short of memory',
    severity: 'warn',
    symptom: 'pods are evicted from the node; new pods are not scheduled there',
    causes: ['workloads use more memory than requested (no limits)', 'too many pods for the node size'],
    fix: ['kubectl top node <name>; kubectl top pods -A --sort-by=memory', 'set memory requests/limits; add nodes or RAM'],
    keywords: ['memory pressure', 'ram', 'oom', 'memory full', 'eviction'],
    docs: `${K8S}/concepts/scheduling-eviction/node-pressure-eviction/`,
  },
  'node-disk-pressure': {
    component: 'nodes',
    title: 'Node is short of disk space',
    severity: 'warn',
    symptom: 'pods are evicted; images are garbage-collected; new pods fail to start',
    causes: ['container images and logs fill the disk', 'emptyDir volumes or the container runtime storage grew'],
    fix: ['df -h; du -sh /var/lib/containerd /var/log', 'crictl rmi --prune', 'journalctl --vacuum-size=500M'],
    keywords: ['disk pressure', 'disk full', 'no space left', 'eviction'],
    docs: `${K8S}/concepts/scheduling-eviction/node-pressure-eviction/`,
  },
  'node-pid-pressure': {
    component: 'nodes',
    title: 'Node is running out of process ids',
    severity: 'warn',
    symptom: "pods fail with 'fork: resource temporarily unavailable'",
    causes: ['a workload leaks processes or threads (fork bomb)'],
    fix: ['ps -eLf | wc -l; cat /proc/sys/kernel/pid_max', 'set podPidsLimit in the kubelet configuration'],
    keywords: ['pid pressure', 'fork', 'processes', 'threads'],
    docs: `${K8S}/concepts/policy/pid-limiting/`,
  },
  'node-network-unavailable': {
    component: 'nodes',
    title: 'Node network is not configured',
    severity: 'crit',
    symptom: 'pods on the node cannot reach other pods or services',
    causes: ['the CNI plugin (Calico, Cilium, Flannel) is not running on the node', 'routes were not created by the cloud provider'],
    fix: ['kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=<name>', 'ls /etc/cni/net.d   # on the node', '@logs kubelet'],
    keywords: ['network unavailable', 'cni', 'pod network'],
    docs: `${K8S}/concepts/cluster-administration/networking/`,
  },
  'node-condition': {
    component: 'nodes',
    title: 'Node reports a vendor condition',
    severity: 'warn',
    symptom: 'a node-problem-detector or cloud-provider condition you asked about is true',
    causes: ["see the condition's reason and message (kernel deadlock, read-only filesystem, frequent restarts …)"],
    fix: ['kubectl describe node <name>', 'journalctl -k --since -1h   # on the node: kernel messages'],
    variants: [
      {
        when: { distribution: 'talos' },
        label: 'Talos node',
        fix: ['kubectl describe node <name>', 'talosctl -n <node-ip> dmesg | tail -n 100   # kernel messages'],
      },
    ],
    keywords: ['condition', 'node problem detector', 'kerneldeadlock', 'readonlyfilesystem'],
    docs: `${K8S}/tasks/debug/debug-cluster/monitor-node-health/`,
  },
  'node-cordoned': {
    component: 'nodes',
    title: 'Node is cordoned',
    severity: 'warn',
    symptom: 'kubectl get nodes shows SchedulingDisabled; no new pods land on it',
    causes: ['maintenance (kubectl drain) that was not undone'],
    fix: ['kubectl uncordon <name>   # when maintenance is over'],
    keywords: ['cordon', 'schedulingdisabled', 'drain', 'unschedulable'],
    docs: `${K8S}/tasks/administer-cluster/safely-drain-node/`,
  },
  'node-lease-stale': {
    component: 'nodes',
    title: "Node's lease is not renewed",
    severity: 'crit',
    symptom: 'the node turns NotReady within about 40 seconds',
    causes: ['the kubelet stopped or cannot reach the API server'],
    fix: ['kubectl -n kube-node-lease get lease <name> -o yaml   # renewTime', '@status kubelet', '@logs kubelet'],
    keywords: ['lease', 'heartbeat', 'renewTime'],
    docs: `${K8S}/concepts/architecture/leases/`,
  },

  // ── kubelet ──────────────────────────────────────────────────────────────────
  'kubelet-unreachable': {
    component: 'kubelet',
    title: 'Kubelet does not answer on port 10250',
    severity: 'crit',
    symptom: "kubectl logs/exec fail with 'dial tcp <ip>:10250: connect: connection refused'; the node turns NotReady",
    causes: ['the kubelet is stopped or crash-looping (bad config, swap on, expired client certificate)', 'a firewall blocks port 10250', 'the host is down'],
    fix: ['@status kubelet', '@logs kubelet', '@restart kubelet', 'ss -tlnp | grep 10250   # on the node'],
    variants: [
      {
        when: { distribution: 'talos' },
        label: 'Talos node',
        fix: ['@status kubelet', '@logs kubelet', '@restart kubelet'],
      },
    ],
    keywords: ['kubelet', '10250', 'kubectl logs fails', 'exec fails'],
    docs: `${K8S}/reference/command-line-tools-reference/kubelet/`,
  },
  'kubelet-unhealthy': {
    component: 'kubelet',
    title: 'Kubelet reports unhealthy',
    severity: 'crit',
    grades: {
      'proxy-unreachable': {
        severity: 'warn',
        when: 'only the API server cannot reach the kubelet (the nodes proxy answers 502 or 503) while k8sdoc can: the kubelet itself may be fine',
      },
    },
    symptom: 'the kubelet answers but its /healthz fails',
    causes: ['the container runtime is down', "the kubelet's PLEG is not healthy (runtime too slow)"],
    fix: ['@logs kubelet', 'systemctl status containerd   # on the node: the runtime', 'systemctl restart containerd'],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2 node',
        causes: ['the embedded containerd of k3s or RKE2 is down or slow', "the kubelet's PLEG is not healthy (runtime too slow)"],
        fix: ['@logs kubelet', '@restart kubelet'],
      },
      {
        when: { distribution: 'talos' },
        label: 'Talos node',
        fix: ['@logs kubelet', 'talosctl -n <node-ip> service cri', 'talosctl -n <node-ip> logs cri'],
      },
      {
        when: { distribution: 'microk8s' },
        label: 'MicroK8s node',
        fix: ['@logs kubelet', 'journalctl -u snap.microk8s.daemon-containerd --since -30m'],
      },
    ],
    keywords: ['kubelet healthz', 'pleg', 'runtime'],
    docs: `${K8S}/reference/command-line-tools-reference/kubelet/`,
  },

  // ── ports ────────────────────────────────────────────────────────────────────
  'port-refused': {
    component: 'ports',
    title: 'Nothing listens on the port',
    severity: 'crit',
    symptom: "connections are refused at once ('Connection refused')",
    causes: [
      'the process behind it (API server 6443, etcd 2379/2380, kubelet 10250) is down',
      'it listens on another address (e.g. 127.0.0.1 only)',
      "for a service's NodePort (30000–32767 by default): kube-proxy is not running on that node, or the port is outside the range the API server allots (--service-node-port-range)",
    ],
    fix: ['ss -tlnp | grep -w <port>   # on <host>: what listens, on which address', 'systemctl status kubelet   # on <host>'],
    // What should listen decides what is down: etcd's 2379 refused is etcd, never kube-proxy.
    variants: [
      {
        when: { listener: ['etcd-client', 'etcd-peer'] },
        label: 'etcd port',
        symptom: "etcdctl and the API server get 'connection refused' from this member; its peers lose it on 2380",
        causes: [
          'etcd on that host is down or crash-looping (a corrupt or full data dir, an expired peer or server certificate, a bad flag)',
          'etcd listens on another address (--listen-client-urls / --listen-peer-urls without the node address)',
          'the host was rebuilt or deleted and the member is still listed',
        ],
        fix: ['@status etcd', '@logs etcd', 'ss -tlnp | grep -E ":(2379|2380)\\b"   # on <host>: does etcd listen, on which address'],
      },
      {
        when: { listener: 'kube-apiserver' },
        label: 'API server port',
        symptom: "kubectl through this host fails with 'The connection to the server <host>:6443 was refused'",
        causes: [
          'kube-apiserver on that host is down or crash-looping (an expired certificate, etcd unreachable, a bad flag)',
          'it listens on another address or port (--bind-address, --secure-port)',
        ],
        fix: ['@status kube-apiserver', '@logs kube-apiserver', 'ss -tlnp | grep -w 6443   # on <host>'],
      },
      {
        when: { listener: 'kubelet', distribution: 'talos' },
        label: 'kubelet port on Talos',
        symptom: "kubectl logs/exec on that node fail with 'dial tcp <host>:10250: connect: connection refused'; the node turns NotReady",
        causes: ['the kubelet service on that node is stopped or crash-looping', 'the node rebooted and the kubelet did not start'],
        fix: ['talosctl -n <host> service kubelet', 'talosctl -n <host> logs kubelet'],
      },
      {
        when: { listener: 'kubelet' },
        label: 'kubelet port',
        symptom: "kubectl logs/exec on that node fail with 'dial tcp <host>:10250: connect: connection refused'; the node turns NotReady",
        causes: [
          'the kubelet on that node is stopped or crash-looping (bad config, swap on, an expired client certificate)',
          'the host rebooted and the kubelet did not start',
        ],
        fix: [
          'systemctl status kubelet   # on <host>; k3s: k3s or k3s-agent, RKE2: rke2-server or rke2-agent',
          'journalctl -u kubelet --since -30m   # on <host>',
          'ss -tlnp | grep -w 10250   # on <host>',
        ],
      },
      {
        when: { listener: 'nodeport' },
        label: 'NodePort',
        causes: [
          'kube-proxy is not running on that node (or runs in a mode that does not open the port)',
          'no Service uses that NodePort, or it is outside --service-node-port-range',
        ],
        fix: ['kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide', 'kubectl get svc -A | grep -w <port>'],
      },
    ],
    keywords: ['refused', 'port', 'closed', 'not listening', '6443', '2379', '2380', '10250', 'nodeport', '30000-32767'],
    docs: `${K8S}/reference/networking/ports-and-protocols/`,
  },
  'port-timeout': {
    component: 'ports',
    title: 'Port does not answer (packets dropped)',
    severity: 'crit',
    symptom: 'connections hang until they time out',
    causes: ['a firewall drops the packets (iptables/nftables, security group, OPNsense rule)', 'the host is down or hung'],
    fix: ['nc -vz -w 3 <host> <port>', 'open the Kubernetes ports: 6443 (API), 2379-2380 (etcd), 10250 (kubelet), 30000–32767 (NodePort services)'],
    variants: [
      {
        when: { listener: ['etcd-client', 'etcd-peer'] },
        label: 'etcd port',
        causes: [
          'a firewall drops packets to 2379/2380 (only the members and the API servers need them)',
          'the host is down or hung (etcd stopped by SIGSTOP, a full disk, the machine frozen)',
        ],
        fix: ['nc -vz -w 3 <host> <port>', 'ping -c 3 <host>', '@status etcd'],
      },
      {
        when: { listener: 'kubelet' },
        label: 'kubelet port',
        causes: ['a firewall drops packets to 10250 (the API server needs it for logs, exec and metrics)', 'the host is down or hung'],
        fix: ['nc -vz -w 3 <host> 10250', 'ping -c 3 <host>', 'systemctl status kubelet   # on <host>, when it answers over SSH'],
      },
    ],
    keywords: ['timeout', 'firewall', 'dropped', 'port', 'filtered', 'nodeport', '30000-32767'],
    docs: `${K8S}/reference/networking/ports-and-protocols/`,
  },
  'port-unreachable': {
    component: 'ports',
    title: 'Host unreachable',
    severity: 'crit',
    symptom: "'No route to host' or 'network is unreachable'",
    causes: ['the host is down or on another network', 'a firewall rejects with ICMP'],
    fix: ['ping -c 3 <host>', 'ip route get <host>'],
    keywords: ['no route', 'unreachable', 'host down'],
    docs: `${K8S}/reference/networking/ports-and-protocols/`,
  },
  'port-dns': {
    component: 'ports',
    title: 'Host name does not resolve',
    severity: 'crit',
    symptom: "'no such host'",
    causes: ['a typo in --hosts, or the name is not in DNS or /etc/hosts'],
    fix: ['getent hosts <name>'],
    keywords: ['dns', 'no such host', 'resolve'],
    docs: `${K8S}/reference/networking/ports-and-protocols/`,
  },
  // ── admission webhooks, aggregated APIs, add-ons ─────────────────────────────
  'webhook-backend-down': {
    component: 'apiserver',
    title: 'Admission webhook has no backend: writes it intercepts are rejected',
    severity: 'crit',
    grades: {
      'failure-ignored': {
        severity: 'warn',
        when: "the webhook's failurePolicy is Ignore: writes go through unchecked (its policy or defaults are skipped) after waiting up to its timeoutSeconds",
      },
    },
    symptom:
      'kubectl apply/create/scale fail with \'Internal error occurred: failed calling webhook "<name>": failed to call webhook: Post "https://<service>.<namespace>.svc:443/…": dial tcp …: connect: connection refused\' (or \'no endpoints available for service\'); Deployments do not roll out and changes are not applied',
    causes: [
      "the webhook's pods are not ready (crash-looping, pending, or evicted), so its Service has no ready endpoints",
      'the webhook was uninstalled but its Validating/MutatingWebhookConfiguration was left behind (the Service or the whole namespace is gone)',
      'a NetworkPolicy or firewall stops the API server from reaching the webhook pods',
    ],
    fix: [
      'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations   # which webhooks exist',
      'kubectl -n <namespace> get endpointslices -l kubernetes.io/service-name=<service>   # any ready address?',
      'kubectl -n <namespace> get pods -o wide; kubectl -n <namespace> logs deploy/<service> --previous',
      'kubectl delete validatingwebhookconfiguration <name>   # only if the webhook was meant to be gone: removes the blocker (and its policy)',
    ],
    keywords: [
      'failed calling webhook',
      'internal error occurred: failed calling webhook',
      'failed to call webhook',
      'no endpoints available for service',
      'webhook',
      'admission webhook',
      'changes not applied',
      'connect: connection refused webhook',
    ],
    docs: `${K8S}/reference/access-authn-authz/extensible-admission-controllers/`,
  },
  'apiservice-unavailable': {
    component: 'apiserver',
    title: 'Aggregated API is unavailable',
    severity: 'warn',
    symptom:
      "'kubectl top' fails with 'Metrics API not available'; kubectl prints 'couldn't get resource list for metrics.k8s.io/v1beta1: the server is currently unable to handle the request'; namespaces hang in Terminating; HorizontalPodAutoscalers stop scaling",
    causes: [
      'the pods behind the APIService (metrics-server, custom-metrics adapters, …) are down or not ready',
      'the API server cannot reach them (network policy, firewall, wrong port) or does not trust their certificate',
      'the add-on was uninstalled but its APIService object was left behind',
    ],
    fix: [
      'kubectl get apiservices | grep -v Local   # AVAILABLE column and reason',
      'kubectl get apiservice <name> -o yaml   # status.conditions message',
      'kubectl -n <namespace> get pods,endpointslices -l <service selector>',
      'kubectl delete apiservice <name>   # only for an add-on that was meant to be removed',
    ],
    keywords: [
      'metrics api not available',
      'kubectl top',
      'unable to handle the request',
      "couldn't get resource list",
      'apiservice',
      'aggregated api',
      'namespace stuck terminating',
      'metrics-server',
      'FailedDiscoveryCheck',
      'MissingEndpoints',
    ],
    docs: `${K8S}/tasks/extend-kubernetes/configure-aggregation-layer/`,
  },
  'coredns-unavailable': {
    component: 'nodes',
    title: 'Cluster DNS (CoreDNS) is not ready',
    severity: 'crit',
    grades: { degraded: { severity: 'warn', when: 'some CoreDNS replicas are ready: DNS works but without its redundancy' } },
    symptom: "pods fail to resolve names ('no such host', 'i/o timeout' talking to 10.96.0.10:53); services cannot find each other",
    causes: [
      'the CoreDNS pods crash-loop (a bad Corefile, a forwarding loop to a resolv.conf that points back at itself) or cannot be scheduled',
      'the CNI is not ready, so the CoreDNS pods never get an address',
      'the kube-dns Service has no ready endpoints',
    ],
    fix: [
      'kubectl -n kube-system get deploy,pods -l k8s-app=kube-dns -o wide',
      'kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50',
      'kubectl -n kube-system get endpointslices -l kubernetes.io/service-name=kube-dns',
      'kubectl -n kube-system rollout restart deployment <coredns deployment>',
    ],
    keywords: ['coredns', 'kube-dns', 'dns', 'no such host', 'name resolution', 'lookup', 'servfail'],
    docs: `${K8S}/tasks/administer-cluster/dns-debugging-resolution/`,
  },
  'kube-proxy-unavailable': {
    component: 'nodes',
    title: 'kube-proxy is not ready on some nodes',
    severity: 'warn',
    grades: { 'none-ready': { severity: 'crit', when: 'no kube-proxy pod is ready: Service addresses work nowhere' } },
    symptom: 'Service ClusterIPs and NodePorts do not answer from the affected nodes; pods there cannot reach the API server through the kubernetes Service',
    causes: ['the kube-proxy pods crash-loop (a bad kube-proxy ConfigMap, iptables/nftables or ipvs modules missing)', 'the node itself is NotReady'],
    fix: [
      'kubectl -n kube-system get ds kube-proxy; kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide',
      'kubectl -n kube-system logs <kube-proxy pod> --previous',
      'kubectl -n kube-system get cm kube-proxy -o yaml',
    ],
    keywords: ['kube-proxy', 'service not reachable', 'clusterip', 'nodeport', 'iptables'],
    docs: `${K8S}/reference/command-line-tools-reference/kube-proxy/`,
  },
  'node-ready-flapping': {
    component: 'nodes',
    title: "Node's Ready condition changed recently",
    severity: 'warn',
    symptom: 'the node went NotReady and came back: pods on it may have been evicted or restarted, and it may do so again',
    causes: [
      'the kubelet restarts, or misses its heartbeats under load (CPU or memory starvation, slow disk)',
      'an unreliable network between the node and the control plane',
      'the container runtime hangs now and then (PLEG not healthy)',
    ],
    fix: [
      "kubectl get events -A --field-selector involvedObject.kind=Node,involvedObject.name=<node> | grep -E 'NodeReady|NodeNotReady'   # how often",
      '@logs kubelet',
      'kubectl describe node <node>   # conditions and their lastTransitionTime',
    ],
    keywords: ['flapping', 'node flapping', 'notready then ready', 'node keeps going notready', 'NodeNotReady'],
    docs: `${K8S}/concepts/architecture/nodes/#condition`,
  },
  'node-unreachable': {
    component: 'nodes',
    title: 'Node carries the unreachable taint',
    severity: 'warn',
    symptom: 'new pods avoid the node and its pods are evicted once their toleration (300 s by default) runs out',
    causes: ['the node controller lost contact with the kubelet (its lease stopped renewing)', 'the node is down or partitioned from the control plane'],
    fix: ['kubectl describe node <node>   # Taints, Conditions', '@status kubelet', 'kubectl -n kube-node-lease get lease <node> -o yaml'],
    keywords: ['node.kubernetes.io/unreachable', 'unreachable taint', 'taint', 'pods evicted'],
    docs: `${K8S}/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions`,
  },
  'kubelet-version-skew': {
    component: 'nodes',
    title: 'Kubelet version is outside the supported skew',
    severity: 'warn',
    symptom:
      'the node works for now, but features and API calls the kubelet and API server do not share break in subtle ways; upgrades of the control plane fail the preflight check',
    causes: [
      'a node was left behind during an upgrade (kubelets may be up to three minor versions older than the API server since 1.28, two before)',
      'a kubelet was upgraded before the control plane: a kubelet must never be newer than the API server',
    ],
    fix: [
      'kubectl get nodes -o wide   # VERSION column',
      'kubeadm upgrade node && apt-get install -y kubelet=<version> && systemctl restart kubelet   # on the node, after draining it',
    ],
    variants: [
      {
        when: { distribution: ['k3s', 'rke2'] },
        label: 'k3s or RKE2',
        fix: [
          'kubectl get nodes -o wide   # VERSION column',
          "upgrade the node to the servers' release: rerun the install script with INSTALL_K3S_VERSION (RKE2: INSTALL_RKE2_VERSION), or use the system-upgrade-controller",
        ],
      },
      {
        when: { distribution: 'talos' },
        label: 'Talos',
        fix: [
          'kubectl get nodes -o wide   # VERSION column',
          'talosctl -n <node-ip> upgrade-k8s --to <version>   # upgrades the control plane and kubelets together',
        ],
      },
      {
        when: { distribution: MANAGED },
        label: 'managed node groups',
        fix: [
          'kubectl get nodes -o wide   # VERSION column',
          "upgrade the node group or node pool to the control plane's version in the provider's console or CLI",
        ],
      },
    ],
    keywords: ['version skew', 'kubelet version', 'upgrade', 'skew policy'],
    docs: 'https://kubernetes.io/releases/version-skew-policy/',
  },
  'kubelet-serving-csr-pending': {
    component: 'kubelet',
    title: 'Kubelet serving certificate request waits for approval',
    severity: 'warn',
    symptom: "kubectl logs/exec fail with 'remote error: tls: internal error' for the node; metrics-server cannot scrape it",
    causes: [
      'the kubelet runs with serverTLSBootstrap: true, and nothing approves kubernetes.io/kubelet-serving CSRs (the controller manager never does)',
      'an approver (kubelet-csr-approver, a cron job) is down or rejects the node name or addresses',
    ],
    fix: [
      'kubectl get csr --sort-by=.metadata.creationTimestamp | grep kubelet-serving',
      'kubectl certificate approve <csr-name>   # after checking the requestor and the addresses it asks for',
      'install an approver (postfinance/kubelet-csr-approver) so renewals do not wait on a person',
    ],
    keywords: ['csr pending', 'kubelet-serving', 'servertlsbootstrap', 'tls: internal error', 'certificate approve'],
    docs: `${K8S}/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation`,
  },

  // ── etcd performance ─────────────────────────────────────────────────────────
  'etcd-wal-fsync-slow': {
    component: 'etcd',
    title: "etcd's disk is slow (WAL fsync p99)",
    severity: 'warn',
    grades: { critical: { severity: 'crit', when: 'the WAL fsync p99 is above 1 s (etcd mixin etcdHighFsyncDurations, critical)' } },
    symptom:
      "API requests are slow or time out ('etcdserver: request timed out'); etcd logs 'slow fdatasync' and 'apply request took too long'; leaders change often",
    causes: [
      'the disk under /var/lib/etcd is slow or shared with busy neighbours (network disks, burst credits used up, another database or container images on it)',
      'the host is starved of CPU or memory, or is swapping',
      'a large database being defragmented or snapshotted',
    ],
    fix: [
      'curl -s --cacert <ca> --cert <cert> --key <key> https://<member>:2379/metrics | grep etcd_disk_wal_fsync_duration_seconds',
      'fio --rw=write --ioengine=sync --fdatasync=1 --directory=/var/lib/etcd --size=22m --bs=2300 --name=etcd-disk   # p99 of fdatasync should stay under 10 ms',
      "journalctl -u etcd | grep -E 'slow fdatasync|took too long'   # or crictl logs <etcd container>",
      'move /var/lib/etcd to a dedicated SSD; keep other I/O off it',
    ],
    keywords: ['slow fdatasync', 'fsync', 'wal', 'disk latency', 'apply request took too long', 'etcd slow', 'request timed out'],
    docs: `${ETCD}/hardware/#disks`,
  },
  'etcd-backend-commit-slow': {
    component: 'etcd',
    title: "etcd's backend commits are slow (p99 > 0.25 s)",
    severity: 'warn',
    symptom: "writes are slow; etcd logs 'apply request took too long'",
    causes: ['a slow disk under /var/lib/etcd', 'a large or fragmented database', 'CPU starvation on the host'],
    fix: [
      'curl -s … https://<member>:2379/metrics | grep etcd_disk_backend_commit_duration_seconds',
      'etcdctl endpoint status -w table   # DB SIZE, then etcdctl defrag one member at a time',
    ],
    keywords: ['backend commit', 'commit duration', 'etcd slow', 'took too long'],
    docs: `${ETCD}/hardware/#disks`,
  },
  'etcd-peer-latency-high': {
    component: 'etcd',
    title: 'etcd members are slow to reach each other (peer round trip p99 > 0.15 s)',
    severity: 'warn',
    symptom: "leader elections, 'etcdserver: request timed out'; etcd logs 'lost the tcp streaming connection' or 'failed to send out heartbeat on time'",
    causes: [
      'members in different zones or regions with high latency between them',
      'a saturated or lossy network on port 2380',
      'an overloaded member that answers late',
    ],
    fix: [
      'ping -c 20 <peer>   # between the member hosts',
      "journalctl -u etcd | grep -iE 'heartbeat|round trip'",
      'tune --heartbeat-interval and --election-timeout to the real round trip',
    ],
    keywords: ['peer round trip', 'heartbeat', 'failed to send out heartbeat on time', 'etcd network', '2380'],
    docs: 'https://etcd.io/docs/v3.5/tuning/#time-parameters',
  },
  'etcd-leader-changes': {
    component: 'etcd',
    title: 'etcd leader changes often',
    severity: 'warn',
    symptom: "requests fail now and then with 'etcdserver: leader changed'; the API server's latency spikes",
    causes: ['slow disk fsync on the leader (see etcd-wal-fsync-slow)', 'a slow or lossy network between members', 'CPU starvation of the etcd process'],
    fix: ['etcdctl endpoint status --cluster -w table   # who leads now, RAFT TERM climbing?', "journalctl -u etcd | grep -iE 'elected leader|lost leader'"],
    keywords: ['leader changed', 'leader election', 'elected leader', 'lost leader', 'raft term'],
    docs: `${ETCD}/failures/`,
  },
  'etcd-proposals-failed': {
    component: 'etcd',
    title: 'etcd proposals fail',
    severity: 'warn',
    symptom: "writes fail with 'etcdserver: request timed out' or 'leader changed'",
    causes: ['leader elections in progress', 'a member that lost contact with the quorum'],
    fix: ['etcdctl endpoint status --cluster -w table', "journalctl -u etcd | grep -iE 'proposal|timed out'"],
    keywords: ['proposals failed', 'proposal', 'request timed out'],
    docs: `${ETCD}/monitoring/`,
  },
} as const satisfies Record<Code, Entry>;
