// What bench/etcd-fanout.mjs needs from the simulator, bundled by that script with esbuild.
export { etcdAvailable, startEtcdCluster } from '../src/sim/etcd-cluster.js';
export { hostPlan } from '../src/sim/hosts.js';
export { writeKubeadmPki } from '../src/sim/pki.js';
