// Fix steps mix commands (`journalctl -u kube-apiserver`) and advice ("bring the stopped
// members back first: …"). Only commands get a shell prompt in front, so nobody pastes prose.

const COMMANDS = new Set([
  'cat',
  'crictl',
  'curl',
  'df',
  'docker',
  'du',
  'etcdctl',
  'etcdutl',
  'free',
  'getent',
  'ip',
  'iptables',
  'journalctl',
  'k3s',
  'k8sdoc',
  'kubeadm',
  'kubectl',
  'ls',
  'nc',
  'nft',
  'openssl',
  'ping',
  'ps',
  'ss',
  'sudo',
  'systemctl',
  'tail',
  'timedatectl',
  'chronyc',
  'traceroute',
  'uptime',
  'top',
  'dmesg',
  'talosctl',
  'rke2',
  'microk8s',
  'snap',
  'oc',
  'kind',
  'aws',
  'gcloud',
  'az',
]);

export function isCommand(step: string): boolean {
  const first = step.trim().split(/\s+/)[0] ?? '';
  // `rev=$(etcdctl …)`: a shell assignment starts a command line too.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) return true;
  // `k3s: stop it, then …` is prose that names a tool, not a command line.
  if (first.endsWith(':')) return false;
  // `<etcdctl>` becomes etcdctl with the run's endpoints and files (fill.ts).
  if (first === '<etcdctl>' || first === '<etcdctl-member>') return true;
  return COMMANDS.has(first.replace(/;$/, ''));
}
