// kubeadm (stacked and external etcd) and Talos, each from every place k8sdoc can stand, with
// real etcd: healthy gives nothing at --fail-on warn; a lost member leads with that member; two
// lost lead with the lost quorum (from a jump host whose API server is then gone, through the
// discovery cache the healthy run wrote).
import { BLOCKS } from '../helpers/blocks.js';
import { describeShape } from './shapes-run.js';

describeShape({
  healthy: 'kubeadm',
  block: BLOCKS.shapesKubeadm,
  kills: [
    { scenario: 'kubeadm-member-down', node: 'cp-3' },
    { scenario: 'kubeadm-quorum-lost', node: 'cp-2' },
  ],
});
describeShape({ healthy: 'kubeadm-external-etcd', block: BLOCKS.shapesKubeadmExternal });
describeShape({
  healthy: 'talos',
  block: BLOCKS.shapesTalos,
  kills: [
    { scenario: 'talos-member-down', node: 'cp-2' },
    { scenario: 'talos-quorum-lost', node: 'cp-3' },
  ],
});
