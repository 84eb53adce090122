// Are the control plane's static pods (kube-apiserver, etcd, kube-scheduler,
// kube-controller-manager) running? Each one's Ready condition, restarts and, when it is in
// trouble, how its last run ended (exit code, reason, the message the container left), since
// that is usually the cause in one line. And, as Talos checks it, whether every control-plane
// node has each static pod the others have. Shapes without such pods (k3s, MicroK8s, managed
// clusters, Talos' etcd) have nothing here to judge, and say so.
import { raise } from '../catalogue/raise.js';
import type { Check, CheckContext, ControlPlaneProgram, Finding } from '../engine/types.js';
import { CONTROL_PLANE_PROGRAMS, podTrouble, programOf } from '../judge/control-plane.js';
import type { PodView } from '../observe/control-plane.js';
import { safeText } from '../util/terminal-text.js';

function subjectOf(pod: PodView): string {
  return `pod ${safeText(pod.namespace)}/${safeText(pod.name)}`;
}

function judgePod(pod: PodView, program: ControlPlaneProgram, now: Date): Finding {
  const trouble = podTrouble(pod, now);
  const subject = subjectOf(pod);
  const node = pod.nodeName ? safeText(pod.nodeName) : null;
  const on = node ? ` on ${node}` : '';
  const about = {
    program,
    ...(pod.nodeName ? { node: pod.nodeName } : {}),
    ...(pod.hostIP ? { host: pod.hostIP } : {}),
    pod: { namespace: pod.namespace, name: pod.name },
  };
  const data = { node: pod.nodeName, host: pod.hostIP, namespace: pod.namespace, pod: pod.name, program, ready: pod.ready, restarts: trouble.restarts };
  const restarts = `${trouble.restarts} restart${trouble.restarts === 1 ? '' : 's'}`;
  switch (trouble.kind) {
    case 'crashloop':
      return raise({
        subject,
        code: 'control-plane-pod-crashloop',
        message: `${program}${on} in CrashLoopBackOff after ${restarts}; ${trouble.last}`,
        data,
        about,
      });
    case 'not-ready':
      return raise({
        subject,
        code: 'control-plane-pod-not-ready',
        message: `${program}${on} not Ready: ${trouble.why}${trouble.restarts > 0 ? `; ${restarts}` : ''}${trouble.last ? `; ${trouble.last}` : ''}`,
        data,
        about,
      });
    case 'restarting':
      return raise({
        subject,
        code: 'control-plane-pod-restarting',
        message: `${program}${on} Ready, but ${restarts}, the last within the hour; ${trouble.last}`,
        data,
        about,
      });
    default:
      return {
        status: 'ok',
        subject,
        message: `${program}${on} Ready${trouble.restarts > 0 ? `, ${restarts} (${trouble.history ?? 'long ago'})` : ', no restarts'}`,
        data,
        about,
      };
  }
}

/** Control-plane nodes without a static pod that the other control-plane nodes run. */
async function missingPods(ctx: CheckContext, pods: readonly { pod: PodView; program: ControlPlaneProgram }[]): Promise<Finding[]> {
  const list = await ctx.facts.nodes();
  if (list.kind !== 'ok') return [];
  const masters = list.nodes.filter((n) => n.controlPlane);
  const expected = CONTROL_PLANE_PROGRAMS.filter((p) => pods.some((x) => x.program === p && x.pod.isStatic));
  const out: Finding[] = [];
  for (const node of masters) {
    const present = new Set(pods.filter((x) => x.pod.nodeName === node.name).map((x) => x.program));
    for (const program of expected) {
      if (present.has(program)) continue;
      const others = pods.filter((x) => x.program === program).length;
      out.push(
        raise({
          subject: `node ${safeText(node.name)}`,
          code: 'control-plane-pod-missing',
          message: `control-plane node ${safeText(node.name)} has no ${program} pod, though ${others} other control-plane node${others === 1 ? ' runs' : 's run'} one`,
          data: { node: node.name, host: node.address, program },
          about: { node: node.name, ...(node.address ? { host: node.address } : {}), program },
        }),
      );
    }
  }
  return out;
}

export const controlPlanePods: Check = {
  id: 'control-plane-pods',
  component: 'control-plane',
  title:
    'Control-plane static pods (kube-apiserver, etcd, scheduler, controller-manager) are Ready, not crash-looping, and present on every control-plane node',
  needs: ['api'],
  codes: ['control-plane-pod-crashloop', 'control-plane-pod-not-ready', 'control-plane-pod-restarting', 'control-plane-pod-missing'],
  async run(ctx) {
    const outcome = await ctx.facts.systemPods();
    if (outcome.kind !== 'ok') return [{ status: 'skip', subject: 'control-plane pods', message: outcome.message }];
    const now = outcome.serverNow ?? ctx.now;
    const pods = outcome.pods.flatMap((pod) => {
      const program = programOf(pod);
      return program ? [{ pod, program }] : [];
    });
    if (pods.length === 0) {
      return [
        {
          status: 'skip',
          subject: 'control-plane pods',
          message: `no control-plane pods in ${outcome.namespaces.join(', ')}: the control plane runs in one server process (k3s, MicroK8s) or is the provider's`,
        },
      ];
    }
    return [...pods.map(({ pod, program }) => judgePod(pod, program, now)), ...(await missingPods(ctx, pods))];
  },
};
