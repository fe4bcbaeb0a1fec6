/** agent_coverage: the system's hosts run an enrolled, recently seen agent. */
import { agentsInScope } from './scope';
import { HOUR_MS, isoMinute, percent, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const agentCoverage: EvidenceCalculator = {
  kind: 'agent_coverage',
  async compute(ctx) {
    const scoped = await agentsInScope(ctx);
    if (scoped === undefined) return unavailable(this.kind, ctx.now, { vi: 'Chưa kết nối quản lý tác tử', en: 'Agent management not connected' });
    const staleBefore = ctx.now - ctx.config.agentStaleHours * HOUR_MS;
    const items: EvidenceItem[] = scoped.missing.map((h) => ({ name: h, status: 'not_met', text: { vi: 'chưa cài tác tử', en: 'no agent enrolled' } }));
    for (const a of scoped.agents) {
      const healthy = a.status === 'online' || a.lastSeen >= staleBefore;
      items.push({
        name: a.hostname,
        status: healthy ? 'met' : 'not_met',
        text: healthy ? { vi: `hoạt động, liên lạc ${isoMinute(a.lastSeen)}`, en: `healthy, last seen ${isoMinute(a.lastSeen)}` } : { vi: `mất liên lạc từ ${isoMinute(a.lastSeen)}`, en: `not seen since ${isoMinute(a.lastSeen)}` },
      });
    }
    const { met: good, unmetNames: bad, share } = tallyItems(items);
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: share,
      summary: { vi: `${good}/${items.length} máy có tác tử hoạt động (${percent(share)})`, en: `${good}/${items.length} hosts with a healthy agent (${percent(share)})` },
      items,
      action: items.length === 0 ? { vi: 'Cài tác tử socnoc lên máy chủ, máy trạm của hệ thống', en: "Install the socnoc agent on the system's servers and workstations" } : bad.length > 0 ? { vi: `Cài đặt hoặc khôi phục tác tử trên: ${bad.join(', ')}`, en: `Install or restore the agent on: ${bad.join(', ')}` } : null,
    };
  },
};
