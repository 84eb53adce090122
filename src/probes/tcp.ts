import { connect } from 'node:net';
import { hostPort } from '../util/url.js';
import { startDeadline } from './deadline.js';
import { classifyNetworkError } from './errors.js';
import type { ProbeDeadline, TcpOutcome } from './types.js';

/** A TCP connect and nothing else: tells refused (nothing listens) from timeout (dropped). */
export function probeTcp(host: string, port: number, deadline: ProbeDeadline): Promise<TcpOutcome> {
  const what = `tcp ${hostPort(host, port)}`;
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = startDeadline(deadline, what);
    const finish = (outcome: TcpOutcome) => {
      timer.clear();
      socket.destroy();
      resolve(outcome);
    };
    timer.onExpire((err) => finish({ ...classifyNetworkError(err, what), ms: ms() }));
    socket.once('connect', () => finish({ kind: 'ok', ms: ms() }));
    socket.once('error', (err) => finish({ ...classifyNetworkError(err, what), ms: ms() }));
  });
}
