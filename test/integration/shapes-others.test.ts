// MicroK8s (dqlite, API on :16443), OpenShift (control plane in openshift-* namespaces) and a
// managed control plane on :443, from every place k8sdoc can stand.
import { BLOCKS } from '../helpers/blocks.js';
import { describeShape } from './shapes-run.js';

describeShape({
  healthy: 'microk8s',
  block: BLOCKS.shapesMicrok8s,
  separate: [{ scenario: 'microk8s-apiserver-down', node: 'cp-1', block: BLOCKS.shapesMicrok8sDown }],
});
describeShape({ healthy: 'openshift', block: BLOCKS.shapesOpenshift });
describeShape({ healthy: 'managed', block: BLOCKS.shapesManaged });
