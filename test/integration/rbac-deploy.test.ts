// deploy/'s RBAC is the least k8sdoc needs: a bearer token holding only the rules bound to
// the k8sdoc ServiceAccount runs the CronJob's own arguments against a healthy cluster, every
// rule is used, the servers saw nothing but GET, and the one thing not granted by default,
// nodes/proxy (it reaches kubelet exec), costs one refused request and no finding: each
// kubelet is still judged by its port 10250, its lease and its node's conditions. The opt-in
// in deploy/optional/ adds /healthz and nothing else.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { AccessRule } from '../../src/sim/api-access.js';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import type { LoggedRequest } from '../../src/sim/request-log.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

interface RbacRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: RbacRule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace: string }[];
  spec?: { jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } } } };
}

const SERVICE_ACCOUNT = { name: 'k8sdoc', namespace: 'k8sdoc' };
const SA_USER = `system:serviceaccount:${SERVICE_ACCOUNT.namespace}:${SERVICE_ACCOUNT.name}`;

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as Manifest);
}

/** Rules of every Role and ClusterRole bound to the ServiceAccount, as the simulator's RBAC reads them. */
function boundRules(docs: Manifest[]): (AccessRule & { from: string })[] {
  const bindings = docs.filter(
    (d) =>
      (d.kind === 'RoleBinding' || d.kind === 'ClusterRoleBinding') &&
      d.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === SERVICE_ACCOUNT.name && s.namespace === SERVICE_ACCOUNT.namespace),
  );
  return bindings.flatMap((b) => {
    const role = docs.find(
      (d) => d.kind === b.roleRef!.kind && d.metadata.name === b.roleRef!.name && (d.kind === 'ClusterRole' || d.metadata.namespace === b.metadata.namespace),
    )!;
    expect(role, `${b.kind} ${b.metadata.name} binds a role that deploy/ defines`).toBeDefined();
    return role.rules!.map((r) => ({
      verbs: r.verbs,
      resources: [...(r.resources ?? []), ...(r.nonResourceURLs ?? [])],
      from: `${role.kind} ${role.metadata.namespace ?? ''}/${role.metadata.name}`,
    }));
  });
}

/** Whether a logged request is what `rule` grants (the simulator's notion: resource or path, any namespace). */
function usedBy(rule: AccessRule, e: LoggedRequest): boolean {
  const path = e.path.split('?')[0]!;
  return rule.resources.some((res) => {
    if (res.startsWith('/')) return path === res;
    if (res === 'nodes/proxy') return /^\/api\/v1\/nodes\/[^/]+\/proxy\//.test(path);
    if (res === 'nodes') return path === '/api/v1/nodes';
    if (res === 'pods') return /^\/api\/v1\/namespaces\/kube-system\/pods$/.test(path);
    if (res === 'leases') return path === '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
    // Any other resource: the resource segment of /api/v1/… or /apis/<group>/v1/…, in any namespace.
    return /^\/apis?\/(?:[^/]+\/)?v1\/(?:namespaces\/[^/]+\/)?([^/]+)/.exec(path)?.[1] === res;
  });
}

const docs = manifests('deploy/rbac.yaml');
const withNodesProxy = [...docs, ...manifests('deploy/optional/nodes-proxy.yaml')];
const cronJob = manifests('deploy/cronjob.yaml').find((d) => d.kind === 'CronJob')!;
const podSpec = cronJob.spec!.jobTemplate.spec.template.spec;

describe('deploy/ RBAC against the simulator', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('healthy', { block: BLOCKS.rbac });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the manifests are consistent: the CronJob runs as the bound ServiceAccount and kustomize builds them', () => {
    expect(podSpec.serviceAccountName).toBe(SERVICE_ACCOUNT.name);
    const sa = manifests('deploy/serviceaccount.yaml')[0]!;
    expect(sa.metadata).toMatchObject(SERVICE_ACCOUNT);
    const built = execFileSync('kubectl', ['kustomize', 'deploy'], { encoding: 'utf8' });
    for (const kind of ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'CronJob'])
      expect(built).toContain(`kind: ${kind}\n`);
    for (const rule of docs.flatMap((d) => d.rules ?? [])) expect(rule.verbs.every((v) => v === 'get' || v === 'list')).toBe(true);
  });

  it("the CronJob's check with a token bound to exactly those rules: only GET, every rule used, kubelets still judged, nodes/proxy refused once and not a finding", async () => {
    const rules = boundRules(docs);
    expect(rules.some((r) => r.resources.includes('nodes/proxy'))).toBe(false);
    const { path } = await cluster.tokens.kubeconfig(
      { user: SA_USER, groups: ['system:serviceaccounts', `system:serviceaccounts:${SERVICE_ACCOUNT.namespace}`], rules },
      { fileName: 'service-account.conf' },
    );
    cluster.requestLog.clear();
    const run = await runCli([...podSpec.containers[0]!.args, '--kubeconfig', path], { killAfterMs: 50_000 });
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(0);
    // What is still seen: every check ran; nothing skipped or failed for want of a permission.
    const permissionProblems = report.results.filter(
      (r) => r.code === 'apiserver-forbidden' || (r.status !== 'ok' && /forbidden|403|RBAC|needs (get|list)/i.test(r.message)),
    );
    expect(permissionProblems).toEqual([]);
    const kubelets = report.results.filter((r) => r.check === 'kubelet');
    expect(kubelets.length).toBe(cluster.hosts.length);
    for (const k of kubelets) {
      expect(k.status, k.message).toBe('ok');
      expect(k.message).toMatch(/healthz not checked: needs get nodes\/proxy/);
    }

    const ours = cluster.requestLog.entries((e) => e.identity === SA_USER);
    expect(ours.length).toBeGreaterThan(5);
    expect(cluster.requestLog.writes()).toEqual([]);
    expect([...new Set(ours.map((e) => e.method))]).toEqual(['GET']);
    // The kubelet check asks once whether it may read /healthz; the 403 stops it asking again.
    const refused = ours.filter((e) => e.status === 401 || e.status === 403);
    expect(refused.length).toBeLessThanOrEqual(1);
    for (const e of refused) expect(e.path).toMatch(/^\/api\/v1\/nodes\/[^/]+\/proxy\/healthz/);
    for (const rule of rules) {
      expect(
        ours.some((e) => usedBy(rule, e)),
        `${rule.from}: ${rule.verbs.join(',')} ${rule.resources.join(',')} is granted but never used`,
      ).toBe(true);
    }
  });

  it('with the opt-in deploy/optional/nodes-proxy.yaml: each kubelet /healthz is read, no 403 at all', async () => {
    const rules = boundRules(withNodesProxy);
    expect(rules.filter((r) => r.resources.includes('nodes/proxy'))).toHaveLength(1);
    const { path } = await cluster.tokens.kubeconfig({ user: SA_USER, rules }, { fileName: 'with-nodes-proxy.conf' });
    cluster.requestLog.clear();
    const report = parseJsonReport(await runCli([...podSpec.containers[0]!.args, '--kubeconfig', path, '--only', 'kubelet'], { killAfterMs: 50_000 }));
    const kubelets = report.results.filter((r) => r.check === 'kubelet');
    expect(kubelets.length).toBe(cluster.hosts.length);
    for (const k of kubelets) expect(k.message).not.toMatch(/healthz not checked/);
    const ours = cluster.requestLog.entries((e) => e.identity === SA_USER);
    expect(ours.filter((e) => e.status === 401 || e.status === 403)).toEqual([]);
    expect(ours.filter((e) => /\/proxy\/healthz/.test(e.path)).length).toBe(cluster.hosts.length);
  });

  it('the namespace enforces Pod Security restricted and the CronJob pod meets it', () => {
    const ns = manifests('deploy/namespace.yaml')[0]! as Manifest & { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pod = cronJob.spec!.jobTemplate.spec.template.spec as unknown as {
      securityContext: { runAsNonRoot: boolean; seccompProfile: { type: string } };
      containers: { securityContext: { allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } }; resources: { limits: { memory: string } } }[];
    };
    // The restricted profile's rules, as Pod Security Admission checks them.
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(['RuntimeDefault', 'Localhost']).toContain(pod.securityContext.seccompProfile.type);
    for (const c of pod.containers) {
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities.drop).toContain('ALL');
      expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
    }
  });
});
