// One finding through the report builder, as every output gets it: the catalogue words the
// evidence and the distribution choose, and the steps filled with the run's values.
import type { EtcdAccess } from '../../src/catalogue/fill.js';
import { entryFor, type AnyCode } from '../../src/catalogue/index.js';
import { buildReport } from '../../src/engine/report.js';
import type { About, ReportResult, Result } from '../../src/engine/types.js';
import type { Distribution } from '../../src/shape/types.js';

export function reportOne(
  code: AnyCode,
  about: About | undefined,
  o: { distribution?: Distribution; etcd?: EtcdAccess; datastore?: string } = {},
): ReportResult {
  const r: Result = {
    check: 'x',
    component: entryFor(code).component,
    subject: 's',
    status: 'crit',
    code,
    message: 'm',
    durationMs: 1,
    ...(about ? { about } : {}),
  };
  const report = buildReport({
    version: '0',
    context: null,
    server: null,
    startedAt: new Date(0),
    durationMs: 1,
    results: [r],
    ...(o.distribution ? { cluster: { distribution: o.distribution, datastore: o.datastore ?? 'etcd-stacked', vantage: 'jump-host', evidence: [] } } : {}),
    ...(o.etcd ? { etcd: o.etcd } : {}),
  });
  return report.results[0]!;
}
