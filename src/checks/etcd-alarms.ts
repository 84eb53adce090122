// Raised etcd alarms: NOSPACE (the database hit its quota, the cluster is read-only) and
// CORRUPT (members hold different data). Read from the alarm list and from each member's
// status errors, which report the same alarms from that member's point of view.
import { raise } from '../catalogue/raise.js';
import type { Check, Finding } from '../engine/types.js';
import type { Code } from '../catalogue/codes.js';
import type { EtcdView } from '../observe/etcd-view.js';
import { memberAbout, NO_CREDENTIALS_SKIP } from '../judge/etcd.js';

const ALARM_CODES: Record<string, Code> = { NOSPACE: 'etcd-alarm-nospace', CORRUPT: 'etcd-alarm-corrupt' };

const ALARM_MEANING: Record<string, string> = {
  NOSPACE: 'the database reached its quota: etcd accepts only reads and deletes, the cluster is read-only until compacted, defragmented and disarmed',
  CORRUPT: 'members hold different data: etcd refuses writes',
};

interface RaisedAlarm {
  alarm: string;
  /** Member id (hex) the alarm was raised for; '0' for cluster-wide. */
  memberId: string;
  /** Who told us: endpoints whose alarm list or status errors carry it. */
  reportedBy: Set<string>;
}

/** Status errors are the alarm's protobuf text: `memberID:10118012467829356457 alarm:NOSPACE` (decimal id). */
function alarmsFromStatusErrors(errors: string[]): { alarm: string; memberId: string }[] {
  return errors.flatMap((e) => {
    const alarm = /alarm:\s*([A-Z]+)/.exec(e)?.[1];
    if (!alarm) return [];
    const id = /memberID:\s*(\d+)/.exec(e)?.[1] ?? '0';
    return [{ alarm, memberId: BigInt(id).toString(16) }];
  });
}

export function collectAlarms(view: EtcdView): RaisedAlarm[] {
  const raised = new Map<string, RaisedAlarm>();
  const add = (alarm: string, memberId: string, endpoint: string) => {
    // etcd knows only these two; NONE is the empty slot.
    if (!(alarm in ALARM_CODES)) return;
    const key = `${alarm}/${memberId}`;
    const entry = raised.get(key) ?? { alarm, memberId, reportedBy: new Set<string>() };
    entry.reportedBy.add(endpoint);
    raised.set(key, entry);
  };
  for (const a of view.answers) {
    if (a.alarms.kind === 'ok') for (const x of a.alarms.value) add(x.alarm, x.memberId, a.endpoint);
    if (a.status.kind === 'ok') for (const x of alarmsFromStatusErrors(a.status.value.errors)) add(x.alarm, x.memberId, a.endpoint);
  }
  return [...raised.values()];
}

export function judgeAlarms(view: EtcdView): Finding[] {
  const answered = view.answers.filter((a) => a.alarms.kind === 'ok' || a.status.kind === 'ok');
  if (answered.length === 0) return [{ status: 'skip', subject: 'etcd', message: 'no etcd member answered: alarms unknown (see etcd-members)' }];
  const alarms = collectAlarms(view);
  if (alarms.length === 0)
    return [{ status: 'ok', subject: 'etcd', message: `no alarm raised (asked ${answered.length} member${answered.length === 1 ? '' : 's'})` }];
  const labelOf = (id: string) => view.members.find((m) => m.id === id)?.label ?? id;
  return alarms.map((a) => {
    const code = ALARM_CODES[a.alarm]!;
    const who = a.memberId === '0' ? 'the cluster' : `member ${labelOf(a.memberId)} (id ${a.memberId})`;
    const message = `${a.alarm} alarm raised on ${who}: ${ALARM_MEANING[a.alarm]}`;
    const data = { alarm: a.alarm, memberId: a.memberId, member: labelOf(a.memberId), reportedBy: [...a.reportedBy] };
    const member = a.memberId === '0' ? undefined : view.members.find((m) => m.id === a.memberId);
    return raise({ code, subject: 'etcd', message, data, ...(member ? { about: memberAbout(member) } : {}) });
  });
}

export const etcdAlarms: Check = {
  prewarm: (ctx) => ctx.facts.etcd.prewarm(),
  id: 'etcd-alarms',
  component: 'etcd',
  title: 'etcd has no NOSPACE or CORRUPT alarm raised',
  needs: ['etcd'],
  codes: ['etcd-alarm-nospace', 'etcd-alarm-corrupt'],
  async run(ctx) {
    const view = await ctx.facts.etcd.view();
    if (view === null) return [...NO_CREDENTIALS_SKIP];
    return judgeAlarms(view);
  },
};
