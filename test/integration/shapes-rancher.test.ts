// k3s (SQLite and embedded etcd) and RKE2 from every place k8sdoc can stand: the single SQLite
// server is not highly available (true of the shape) and has no etcd to check; a stopped
// server leads with its refused API; a lost etcd member leads with that member.
import { BLOCKS } from '../helpers/blocks.js';
import { describeShape } from './shapes-run.js';

describeShape({
  healthy: 'k3s',
  block: BLOCKS.shapesK3s,
  separate: [{ scenario: 'k3s-server-down', node: 'cp-1', block: BLOCKS.shapesK3sServerDown }],
});
describeShape({ healthy: 'k3s-etcd', block: BLOCKS.shapesK3sEtcd, kills: [{ scenario: 'k3s-etcd-member-down', node: 'cp-3' }] });
describeShape({ healthy: 'rke2', block: BLOCKS.shapesRke2, kills: [{ scenario: 'rke2-member-down', node: 'cp-3' }] });
