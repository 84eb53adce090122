// Address blocks (see src/sim/hosts.ts) owned by each test file. Two files running in
// parallel must never share a block: add a line here when a file starts servers.
export const BLOCKS = {
  // foundation: 1-9
  cliApiserver: 1,
  // simulator: 10-29
  simKubectl: 10,
  simKubectlNotReady: 11,
  simKubectlLarge: 12,
  simScenarios: 13,
  simFaults: 14,
  simDemo: 15,
  // etcd: 30-49
  etcdHarness: 30,
  etcdProbe: 31,
  etcdChecks: 32,
  etcdCli: 33,
  // bench/etcd-fanout.mjs (not a test file, but it must not collide with one): 49
  // certs: 50-69
  certsServed: 50,
  certsCli: 51,
  // apiserver, nodes, kubelet, ports: 70-89
  apiserverSim: 70,
  nodesSim: 71,
  portsSim: 72,
  kubeletSim: 73,
  // bench/nodes-scale.mjs: 88, bench/probe-fanout.mjs: 89 (not test files, but they must not collide with one)
  // triage: 90-109
  triageControlPlane: 90,
  triageBlackHole: 91,
  triageNodesAndCache: 92,
  // pipelines: 110-129
  waitHeals: 110,
  waitNeverHeals: 111,
  configCli: 112,
  rbac: 113,
  standalone: 114,
  outputs: 115,
  plugin: 116,
  // hardening: 130-149
  hostileServers: 130,
  secretsCanary: 131,
  secretsSafety: 132,
  badInputCli: 133,
  // catalogue advice that follows the evidence (API server, credentials, shapes): 370-379
  catalogueApiEvidence: 370,
  catalogueApiShapesK3s: 371,
  catalogueApiShapesTalos: 372,
  // distribution shapes (src/sim shape-*): 220-239, one block per shape so that files never share one
  simShapesKubeadm: 220,
  simShapesKubeadmExternal: 221,
  simShapesK3s: 222,
  simShapesK3sEtcd: 223,
  simShapesRke2: 224,
  simShapesTalos: 225,
  simShapesMicrok8s: 226,
  simShapesOpenshift: 227,
  simShapesManaged: 228,
  // control-plane components (scheduler, controller-manager, static pods): 252
  demoControlPlane: 252,
  // k8sdoc against each shape from each vantage (test/integration/shapes-*.test.ts): 240-259
  shapesKubeadm: 240,
  shapesKubeadmExternal: 241,
  shapesTalos: 242,
  shapesK3s: 243,
  shapesK3sServerDown: 244,
  shapesK3sEtcd: 245,
  shapesRke2: 246,
  shapesMicrok8s: 247,
  shapesMicrok8sDown: 248,
  shapesOpenshift: 249,
  shapesManaged: 250,
  shapesEmfile: 251,
  // machine outputs: 205-209
  outputsStatusIdentity: 205,
  // process safety: 180-189
  fileInputs: 180,
  signals: 181,
  terminalSafety: 182,
  pipes: 183,
  // bench/cronjob-rss.mjs: 184 (not a test file, but it must not collide with one)
  // kubeconfig and credential safety: 170-179
  kubeconfigSafety: 170,
  // many clusters at once (check --context a,b, --all-contexts): 210-219
  manyClustersHealthy: 210,
  manyClustersBroken: 211,
  // terminal and incident reports: 200-204
  outputsTerminal: 200,
  outputsIncident: 201,
  // demo and its etcd stand-in: 190-199
  standinFidelityReal: 190,
  standinFidelityStandin: 191,
  standinNospaceReal: 192,
  standinNospaceStandin: 193,
  demoStandinCli: 194,
  demoKept: 195,
  standinMembersReal: 196,
  standinMembersStandin: 197,
  // node paths (each distribution's files on a control-plane node): the high end of the certs
  // area, as blocks above 255 do not exist (a block is the second octet of 127.b.0.0/16)
  nodePathsKubeadm: 64,
  nodePathsK3s: 65,
  nodePathsK3sEtcd: 66,
  nodePathsRke2: 67,
  nodePathsMicrok8s: 68,
  // webhooks, aggregated APIs, add-ons, etcd performance, kubelet certificates: 280-289
  cpAddonsSim: 280,
  cpAddonsShapes: 281,
  cpAddonsDemo: 282,
  cpAddonsEtcd: 283,
  // benchmarks (bench/*.mjs): 150-169; bench/unreachable.mjs: 150, bench/fanout.mjs: 151, bench/scale.mjs: 152,
  // bench/sim-startup.mjs: 153
  // run budget and hung APIs: 310-319; bench/oncall-hung.mjs: 318, bench/hung-kubelets.mjs: 319
  oncallHungApi: 310,
  hungKubelets: 311,
  // the control plane and nodes as the real kubectl sees them, nodes-health and add-ons on a dead node: 350-359
  simKubectlControlPlane: 350,
  simKubectlControlPlaneNodes: 351,
  nodesHealthCli: 352,
  addonsDeadNodeCli: 353,
  // plugins (blocks above 255 live in third octets 201-255 of 127.(b-256), see src/sim/hosts.ts): 290-299
  pluginExamples: 290,
  pluginFailures: 291,
  // docs/plugins.md's tutorial test (node --test) uses these two, as written in the document
  pluginTutorialFailing: 292,
  pluginTutorialHealthy: 293,
  // plugin checks everywhere a built-in one is: 320-329
  pluginsEverywhere: 320,
  // the default demo (kubeadm as written) and the shape line in the header: 340-349;
  // bench/shapes-matrix.mjs: 341-349 (not a test file, but it must not collide with one)
  demoDefault: 340,
  // one problem counted once, the verdict where the eye is: 330-339
  // test/integration/severity-invariant.test.ts runs scenarios at once, one block each: 330-335
  severityInvariant: 330,
  verdictZombieEtcd: 336,
  verdictLbPartial: 337,
  verdictQuorumLost: 338,
  verdictManyRows: 339,
  // what a run selecting only the node checks asks the API: 360-369
  onlyNodesRequests: 360,
  // etcdctl steps the report fills with the run's endpoints and files, run against real etcd: 380-389
  etcdSteps: 380,
} as const;
