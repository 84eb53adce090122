// What to say when there is no etcd to check: the datastore in words, and who answers for it.
// kine (k3s's SQLite default, or an external SQL database) and dqlite (MicroK8s) implement
// etcd's API behind a unix socket the API server alone uses; a managed control plane keeps its
// etcd out of sight. The API server's `/readyz/etcd` is then the one view of the datastore's
// health (kine and dqlite answer that check too).
import { hasEtcd, type Datastore, type Distribution, type Shape } from './types.js';

const WORDS: Readonly<Record<Datastore, string>> = {
  'etcd-stacked': 'etcd on the control-plane nodes',
  'etcd-external': 'an external etcd cluster',
  'etcd-embedded': 'etcd embedded in the server processes',
  'kine-sqlite': 'kine over SQLite (no etcd: nothing listens on 2379/2380)',
  'kine-sql': 'kine over an external SQL database (no etcd)',
  dqlite: 'dqlite (no etcd: nothing listens on 2379/2380)',
  managed: 'run by the provider, out of sight (no etcd to reach)',
  unknown: 'unknown',
};

export function datastoreWords(datastore: Datastore, distribution?: Distribution): string {
  const who = distribution && distribution !== 'unknown' ? ` (${distribution})` : '';
  return `${WORDS[datastore]}${datastore === 'managed' ? who : ''}`;
}

/** Whether the shape says plainly that there is no etcd to ask (an unknown datastore says nothing). */
export function knownWithoutEtcd(shape: Pick<Shape, 'datastore'> | undefined): boolean {
  return shape !== undefined && shape.datastore !== 'unknown' && !hasEtcd(shape.datastore);
}

/** The reason etcd checks skip when the datastore is not etcd. */
export function noEtcdReason(shape: Pick<Shape, 'datastore' | 'distribution'>): string {
  return `no etcd to check: the datastore is ${datastoreWords(shape.datastore, shape.distribution)}; etcd-quorum reports what the API server says of it`;
}
