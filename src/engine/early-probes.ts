// Probes that need no discovery start at once. Discovery can cost a whole --timeout (a
// balancer that hands the request to a hung API server, a node list that waits on an etcd
// without quorum) and the checks start after it: a hung kubelet or etcd member known from the
// flags or the discovery cache would then cost a second --timeout on top. Each check's
// `prewarm` starts, through the run's memo, the probes it will make on targets known before
// discovery; the checks then find them in flight or done. While discovery runs, a few of the
// --concurrency slots stay free for it, so its own requests never queue behind them.
import type { Targets } from '../discovery/targets.js';
import type { Facts } from '../observe/facts.js';
import type { Probes } from '../probes/types.js';
import { limitProbes, type Lanes, type ProbeTrace } from './limited-probes.js';
import { createLimiter, type Limiter } from './limit.js';
import { capByOpenFiles } from '../util/open-files.js';
import type { Check, CheckContext } from './types.js';

export interface EarlyProbes {
  /** Discovery is over: the early probes still queued get every slot, like the checks' own. */
  discoveryDone(): void;
}

/**
 * Slots the early probes may hold while discovery runs. Discovery asks only a handful of
 * questions at once (TLS and /version of the kubeconfig server and each master, then a list or
 * two), so it keeps up to 8 slots, never more than half; the early probes take the rest, as
 * many hung hosts each hold a slot for a whole --timeout.
 */
export function earlyShare(concurrency: number): number {
  return Math.max(1, concurrency - Math.min(DISCOVERY_RESERVE, Math.floor(concurrency / 2)));
}

const DISCOVERY_RESERVE = 8;

export function startEarlyProbes(
  ctx: CheckContext,
  checks: readonly Check[],
  /**
   * `targets`: what is known before discovery, asked only when a selected check prewarms.
   * `factsFor`: the run's facts (the same memo) over these targets and the early lane's probes.
   */
  o: { raw: Probes; limit: Limiter; trace?: ProbeTrace; lanes?: Lanes; targets: () => Promise<Targets>; factsFor: (targets: Targets, probes: Probes) => Facts },
): EarlyProbes {
  // The run's slots as the open-file limit caps them, as runDiagnosis's limiter holds them.
  const concurrency = capByOpenFiles(ctx.options.concurrency);
  const lane = createLimiter(earlyShare(concurrency));
  const early = <T>(fn: () => Promise<T>) => lane(() => o.limit(fn));
  const probes = limitProbes(o.raw, early, o.trace, o.lanes);
  // The API servers' checks first: their /version is what a hung API server makes take a whole
  // --timeout, so it goes out before the few hundred sockets below are opened. Then the ports
  // check, which plans every socket of a host together (6443, 2379, 2380, 10250): its quick
  // refusals interleave with the slow drops, and the other checks' probes mostly find its
  // connections in the memo. Kubelets first put 5,000 dropped dials ahead of 15,000 refusals:
  // 6 % slower over 5,000 hosts (bench/probe-fanout.mjs).
  const rank = (c: Check) => (c.component === 'apiserver' ? 0 : c.component === 'ports' ? 1 : 2);
  const prewarming = checks.filter((c) => c.prewarm).sort((a, b) => rank(a) - rank(b));
  if (prewarming.length > 0) {
    void o.targets().then(
      (targets) => {
        const earlyCtx: CheckContext = { ...ctx, targets, facts: o.factsFor(targets, probes) };
        for (const c of prewarming) {
          try {
            c.prewarm!(earlyCtx);
          } catch (e) {
            // A prewarm that fails costs only speed: the check makes its probes itself.
            ctx.log(`early probes of ${c.id}: ${(e as Error).message}`);
          }
        }
      },
      (e: unknown) => ctx.log(`early probes: ${(e as Error).message}`),
    );
  }
  return { discoveryDone: () => lane.resize(concurrency) };
}
