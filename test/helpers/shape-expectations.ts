// What a correct diagnosis of each simulated distribution shape is, from each place k8sdoc
// can stand: the exit code with `--fail-on warn`, the most likely cause of each fault, and
// the findings the shape itself warrants. The integration tests that run k8sdoc against the
// shapes (src/sim/scenarios) assert against this table; the simulator's own facts are
// asserted in test/integration/sim-shapes-*.test.ts.
import type { AnyScenarioName } from '../../src/sim/scenarios/index.js';

/** Where k8sdoc runs (see SimCluster.vantages). */
export type Vantage =
  /** kubeconfig only, no etcd client certificate. */
  | 'jump-host'
  /** kubeconfig and the etcd client certificate, but no `--etcd`: endpoints must be discovered. */
  | 'jump-host-etcd-certs'
  /** `--pki-dir` and the admin kubeconfig of a control-plane node (vantages.nodes[0]). */
  | 'control-plane-node'
  /** the k8sdoc service account's token (vantages.inCluster). */
  | 'in-cluster';

export interface ShapeExpectation {
  scenario: AnyScenarioName;
  /** Vantages that exist for the shape (no node files on Talos, OpenShift or a managed control plane). */
  vantages: Vantage[];
  /** Exit code with `--fail-on warn`, the same from every vantage listed. */
  exitCode: 0 | 1;
  /** Codes that must be the report's lead root cause (rootCauses[0].code); null for a healthy shape. */
  leadCause: string | null;
  /** The subject the lead cause must name (member, node or endpoint), when it names one. */
  leadSubject?: RegExp;
  /** Codes the lead cause must explain (a lost member explains the quorum at risk it leaves). */
  leadExplains?: string[];
  /** warn/crit codes the shape itself warrants; any other warn or crit is a false alarm. */
  allowed: string[];
  /** Codes that must never appear (what the shape's design would wrongly be blamed for). */
  never: string[];
}

const ALL: Vantage[] = ['jump-host', 'jump-host-etcd-certs', 'control-plane-node', 'in-cluster'];
const NO_NODE_FILES: Vantage[] = ['jump-host', 'jump-host-etcd-certs', 'in-cluster'];
/** Findings that would blame a healthy cluster for where k8sdoc stands or for the datastore it chose. */
const VANTAGE_FALSE_ALARMS = ['etcd-no-credentials', 'etcd-even-members'];
const NO_ETCD_FALSE_ALARMS = ['etcd-quorum-lost', 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'etcd-no-leader'];
const ETCD_PORTS_REFUSED = 'port-refused';
/**
 * A dead etcd member or API server shows in its static pod too (CrashLoopBackOff, not Ready),
 * on the shapes that run them as pods; the pod may lead, as long as it explains the fault.
 */
const POD_SYMPTOMS = ['control-plane-pod-crashloop', 'control-plane-pod-not-ready', 'control-plane-pod-restarting'];

export const SHAPE_EXPECTATIONS: ShapeExpectation[] = [
  // Healthy shapes: exit 0 unless the shape itself warrants a warning, and which one.
  { scenario: 'kubeadm', vantages: ALL, exitCode: 0, leadCause: null, allowed: [], never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED] },
  {
    scenario: 'kubeadm-external-etcd',
    vantages: ALL,
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED],
  },
  // A single k3s server is not highly available: that warning is true of the shape.
  {
    scenario: 'k3s',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'control-plane-not-ha',
    allowed: ['control-plane-not-ha'],
    never: [...VANTAGE_FALSE_ALARMS, ...NO_ETCD_FALSE_ALARMS, ETCD_PORTS_REFUSED, 'apiserver-tls-error', 'cert-expiring'],
  },
  {
    scenario: 'k3s-etcd',
    vantages: ALL,
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED, 'apiserver-tls-error'],
  },
  { scenario: 'rke2', vantages: ALL, exitCode: 0, leadCause: null, allowed: [], never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED] },
  {
    scenario: 'talos',
    vantages: NO_NODE_FILES,
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED],
  },
  {
    scenario: 'microk8s',
    vantages: ALL,
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, ...NO_ETCD_FALSE_ALARMS, ETCD_PORTS_REFUSED],
  },
  {
    scenario: 'openshift',
    vantages: NO_NODE_FILES,
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, 'etcd-quorum-lost', ETCD_PORTS_REFUSED],
  },
  {
    scenario: 'managed',
    vantages: ['jump-host', 'in-cluster'],
    exitCode: 0,
    leadCause: null,
    allowed: [],
    never: [...VANTAGE_FALSE_ALARMS, ...NO_ETCD_FALSE_ALARMS, ETCD_PORTS_REFUSED, 'control-plane-not-ha'],
  },

  // Faults: the lead cause, naming the member or server at fault. One lost member is the root
  // cause and the quorum at risk is listed under it, as triage relates them.
  {
    scenario: 'kubeadm-member-down',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'etcd-member-unreachable',
    leadExplains: ['etcd-quorum-at-risk'],
    leadSubject: /cp-3/,
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'apiserver-not-ready', ETCD_PORTS_REFUSED],
    never: ['etcd-quorum-lost', ...VANTAGE_FALSE_ALARMS],
  },
  {
    scenario: 'kubeadm-quorum-lost',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'etcd-quorum-lost',
    // The last member reports no leader and the load balancer, with no ready API server, resets.
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-lost', 'etcd-no-leader', 'etcd-member-unreachable', 'apiserver-not-ready', 'apiserver-refused', ETCD_PORTS_REFUSED],
    never: VANTAGE_FALSE_ALARMS,
  },
  {
    scenario: 'k3s-server-down',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'apiserver-refused',
    leadSubject: /6443/,
    allowed: [...POD_SYMPTOMS, 'apiserver-refused', 'kubelet-unreachable', 'control-plane-not-ha', ETCD_PORTS_REFUSED],
    never: [...NO_ETCD_FALSE_ALARMS, ...VANTAGE_FALSE_ALARMS],
  },
  {
    scenario: 'k3s-etcd-member-down',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'etcd-member-unreachable',
    leadExplains: ['etcd-quorum-at-risk'],
    leadSubject: /cp-3/,
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'apiserver-not-ready', ETCD_PORTS_REFUSED],
    never: ['etcd-quorum-lost', ...VANTAGE_FALSE_ALARMS],
  },
  {
    scenario: 'rke2-member-down',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'etcd-member-unreachable',
    leadExplains: ['etcd-quorum-at-risk'],
    leadSubject: /cp-3/,
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'apiserver-not-ready', ETCD_PORTS_REFUSED],
    never: ['etcd-quorum-lost', ...VANTAGE_FALSE_ALARMS],
  },
  {
    scenario: 'talos-member-down',
    vantages: NO_NODE_FILES,
    exitCode: 1,
    leadCause: 'etcd-member-unreachable',
    leadExplains: ['etcd-quorum-at-risk'],
    leadSubject: /cp-2/,
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'apiserver-not-ready', ETCD_PORTS_REFUSED],
    never: ['etcd-quorum-lost', ...VANTAGE_FALSE_ALARMS],
  },
  {
    scenario: 'talos-quorum-lost',
    vantages: NO_NODE_FILES,
    exitCode: 1,
    leadCause: 'etcd-quorum-lost',
    // The last member reports no leader and the load balancer, with no ready API server, resets.
    allowed: [...POD_SYMPTOMS, 'etcd-quorum-lost', 'etcd-no-leader', 'etcd-member-unreachable', 'apiserver-not-ready', 'apiserver-refused', ETCD_PORTS_REFUSED],
    never: VANTAGE_FALSE_ALARMS,
  },
  {
    scenario: 'microk8s-apiserver-down',
    vantages: ALL,
    exitCode: 1,
    leadCause: 'apiserver-refused',
    leadSubject: /16443/,
    allowed: [...POD_SYMPTOMS, 'apiserver-refused'],
    never: [...NO_ETCD_FALSE_ALARMS, ...VANTAGE_FALSE_ALARMS],
  },
];

export function expectationFor(scenario: AnyScenarioName): ShapeExpectation {
  const e = SHAPE_EXPECTATIONS.find((x) => x.scenario === scenario);
  if (!e) throw new Error(`no diagnosis expectation for scenario ${scenario}`);
  return e;
}
