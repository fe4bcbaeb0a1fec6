/** A monitoring report's figures as report blocks (PDF/HTML) and as CSV rows, in Vietnamese or English. */
import type { Block, Tone } from '../report/outline';
import type { ReportLang } from '../report/strings';
import type { MonitoringFigures, MonitoringPeriod, Ranked } from './figures';

export const MONITORING_TEXT = {
  vi: {
    title: { daily: 'Báo cáo giám sát an toàn thông tin hằng ngày', weekly: 'Báo cáo giám sát an toàn thông tin hằng tuần', semiannual: 'Báo cáo hoạt động giám sát định kỳ 06 tháng' } as Record<MonitoringPeriod, string>,
    basis: 'Căn cứ: Thông tư 31/2017/TT-BTTTT, Điều 5 khoản 3 (báo cáo ngày, báo cáo tuần cho chủ quản, báo cáo 06 tháng)',
    agency: 'Cơ quan',
    period: 'Kỳ báo cáo (UTC)',
    generated: 'Thời điểm lập (UTC)',
    notObservable: 'Không quan sát được (mô-đun chưa kết nối)',
    events: 'Sự kiện thu thập',
    eventsTotal: 'Tổng số sự kiện',
    byDataset: 'Theo nguồn dữ liệu',
    timeline: 'Phân bố theo thời gian',
    alerts: 'Cảnh báo theo mức độ',
    severity: { critical: 'Nghiêm trọng', high: 'Cao', medium: 'Trung bình', low: 'Thấp', informational: 'Thông tin' } as Record<string, string>,
    total: 'Tổng cộng',
    truncated: 'Số cảnh báo vượt giới hạn đọc; xếp hạng tính trên phần đầu',
    rules: 'Luật phát hiện kích hoạt nhiều nhất',
    targets: 'Mục tiêu bị tấn công',
    techniques: 'Kỹ thuật tấn công (MITRE ATT&CK)',
    attackers: 'Nguồn tấn công',
    none: 'Không có',
    incidents: 'Sự cố',
    opened: 'Sự cố phát hiện trong kỳ',
    serious: 'trong đó nghiêm trọng',
    resolved: 'Đã xử lý xong',
    unresolved: 'Chưa xử lý xong',
    mttr: 'Thời gian xử lý trung vị (giờ)',
    overdue: 'Báo cáo sự cố quá hạn hoặc nộp muộn',
    severityHeader: 'Mức độ',
    silent: 'Nguồn nhật ký ngừng gửi',
    silentLine: (n: number, checked: number, hours: number) => `${n}/${checked} nguồn không gửi nhật ký trong ${hours} giờ qua`,
    lastSeen: 'lần cuối',
    devices: 'Tình trạng thiết bị mạng (SNMP)',
    devicesLine: (up: number, total: number) => `${up}/${total} thiết bị hoạt động`,
    agents: 'Tác tử giám sát máy chủ',
    agentsLine: (on: number, total: number) => `${on}/${total} tác tử trực tuyến`,
    digest: 'Mã băm SHA-256 của báo cáo được ghi vào nhật ký kiểm toán socnoc.',
    value: 'Giá trị',
    count: 'Số lượng',
  },
  en: {
    title: { daily: 'Daily information security monitoring report', weekly: 'Weekly information security monitoring report', semiannual: 'Six-monthly monitoring activity report' } as Record<MonitoringPeriod, string>,
    basis: 'Basis: Circular 31/2017/TT-BTTTT, Art. 5.3 (daily reports, weekly report to the owner, six-monthly report)',
    agency: 'Agency',
    period: 'Period (UTC)',
    generated: 'Generated (UTC)',
    notObservable: 'Not observable (module not connected)',
    events: 'Events collected',
    eventsTotal: 'Events in total',
    byDataset: 'By data source',
    timeline: 'Over time',
    alerts: 'Alerts by severity',
    severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', informational: 'Informational' } as Record<string, string>,
    total: 'Total',
    truncated: 'More alerts than read; rankings cover the first ones',
    rules: 'Detection rules fired most',
    targets: 'Targets attacked',
    techniques: 'Attack techniques (MITRE ATT&CK)',
    attackers: 'Attack sources',
    none: 'None',
    incidents: 'Incidents',
    opened: 'Incidents detected in the period',
    serious: 'of which serious',
    resolved: 'Resolved',
    unresolved: 'Not resolved',
    mttr: 'Median time to resolve (hours)',
    overdue: 'Incident reports overdue or late',
    severityHeader: 'Severity',
    silent: 'Log sources gone silent',
    silentLine: (n: number, checked: number, hours: number) => `${n}/${checked} sources sent no logs in the last ${hours} h`,
    lastSeen: 'last seen',
    devices: 'Network device status (SNMP)',
    devicesLine: (up: number, total: number) => `${up}/${total} devices up`,
    agents: 'Host monitoring agents',
    agentsLine: (on: number, total: number) => `${on}/${total} agents online`,
    digest: "The report's SHA-256 digest is recorded in the socnoc audit log.",
    value: 'Value',
    count: 'Count',
  },
};

const stamp = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

export function buildMonitoringOutline(f: MonitoringFigures, lang: ReportLang, generatedAt: number): Block[] {
  const t = MONITORING_TEXT[lang];
  const blocks: Block[] = [];
  const p = (text: string, tone: Tone = 'plain'): void => void blocks.push({ type: 'p', text, tone });
  const h3 = (text: string): void => void blocks.push({ type: 'h3', text });
  const ranked = (heading: string, rows: Ranked[]): void => {
    h3(heading);
    if (rows.length === 0) p(t.none, 'muted');
    else blocks.push({ type: 'table', header: [t.value, t.count], rows: rows.map((r) => [r.value, String(r.count)]) });
  };
  blocks.push({ type: 'h1', text: t.title[f.period] });
  p(t.basis, 'muted');
  p(`${t.agency}: ${f.agency}`);
  p(`${t.period}: ${stamp(f.from)} – ${stamp(f.to)}`);
  p(`${t.generated}: ${stamp(generatedAt)}`);

  h3(t.events);
  if (f.events === null) p(t.notObservable, 'muted');
  else {
    p(`${t.eventsTotal}: ${f.events.total}`);
    ranked(t.byDataset, f.events.byDataset);
    h3(t.timeline);
    blocks.push({ type: 'table', header: [t.period, t.count], rows: f.events.histogram.map((b) => [stamp(b.start), String(b.count)]) });
  }

  h3(t.alerts);
  if (f.alerts === null) p(t.notObservable, 'muted');
  else {
    const rows = Object.entries(f.alerts.bySeverity).map(([s, n]) => [t.severity[s], String(n)]);
    blocks.push({ type: 'table', header: [t.severityHeader, t.count], rows: [...rows, [t.total, String(f.alerts.total)]] });
    if (f.alerts.truncated) p(t.truncated, 'warn');
    ranked(t.targets, f.alerts.targets);
    ranked(t.techniques, f.alerts.techniques);
    ranked(t.attackers, f.alerts.attackers);
    ranked(t.rules, f.alerts.rules);
  }

  h3(t.incidents);
  if (f.incidents === null) p(t.notObservable, 'muted');
  else {
    const i = f.incidents;
    p(`${t.opened}: ${i.opened} (${t.serious}: ${i.serious})`);
    p(`${t.resolved}: ${i.resolved} · ${t.unresolved}: ${i.unresolved.length}${i.unresolved.length > 0 ? ` (${i.unresolved.join(', ')})` : ''}`, i.unresolved.length > 0 ? 'warn' : 'plain');
    p(`${t.mttr}: ${i.mttrHours ?? '–'}`);
    p(`${t.overdue}: ${i.reportsLate.length > 0 ? i.reportsLate.join(', ') : t.none}`, i.reportsLate.length > 0 ? 'bad' : 'good');
  }

  h3(t.silent);
  if (f.silentSources === null) p(t.notObservable, 'muted');
  else {
    const s = f.silentSources;
    p(t.silentLine(s.silent.length, s.checked, s.silentHours), s.silent.length > 0 ? 'bad' : 'good');
    for (const x of s.silent) blocks.push({ type: 'bullet', text: `${x.source} (${t.lastSeen} ${x.lastSeen.replace('T', ' ').slice(0, 16)})`, indent: 0, tone: 'bad' });
  }

  h3(t.devices);
  if (f.devices === null) p(t.notObservable, 'muted');
  else {
    p(t.devicesLine(f.devices.up, f.devices.total), f.devices.notUp.length > 0 ? 'warn' : 'good');
    for (const d of f.devices.notUp) blocks.push({ type: 'bullet', text: `${d.name}: ${d.status}`, indent: 0, tone: 'warn' });
  }

  h3(t.agents);
  if (f.agents === null) p(t.notObservable, 'muted');
  else {
    p(t.agentsLine(f.agents.online, f.agents.total), f.agents.offline.length > 0 ? 'warn' : 'good');
    for (const h of f.agents.offline) blocks.push({ type: 'bullet', text: h, indent: 0, tone: 'warn' });
  }
  p(t.digest, 'muted');
  return blocks;
}

function cell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per figure: section, metric, key, value; sections absent when their module is not connected. */
export function renderMonitoringCsv(f: MonitoringFigures): string {
  const rows: Array<[string, string, string, string | number]> = [
    ['report', 'period', f.period, ''],
    ['report', 'agency', f.agency, ''],
    ['report', 'from', new Date(f.from).toISOString(), ''],
    ['report', 'to', new Date(f.to).toISOString(), ''],
  ];
  const ranked = (section: string, metric: string, list: Ranked[]): void => {
    for (const r of list) rows.push([section, metric, r.value, r.count]);
  };
  if (f.events !== null) {
    rows.push(['events', 'total', '', f.events.total]);
    ranked('events', 'by_dataset', f.events.byDataset);
    for (const b of f.events.histogram) rows.push(['events', 'bucket', new Date(b.start).toISOString(), b.count]);
  }
  if (f.alerts !== null) {
    rows.push(['alerts', 'total', '', f.alerts.total]);
    for (const [s, n] of Object.entries(f.alerts.bySeverity)) rows.push(['alerts', 'severity', s, n]);
    ranked('alerts', 'target', f.alerts.targets);
    ranked('alerts', 'technique', f.alerts.techniques);
    ranked('alerts', 'attacker', f.alerts.attackers);
    ranked('alerts', 'rule', f.alerts.rules);
  }
  if (f.incidents !== null) {
    const i = f.incidents;
    rows.push(['incidents', 'opened', '', i.opened], ['incidents', 'serious', '', i.serious], ['incidents', 'resolved', '', i.resolved], ['incidents', 'unresolved', i.unresolved.join(' '), i.unresolved.length]);
    rows.push(['incidents', 'mttr_hours', '', i.mttrHours ?? ''], ['incidents', 'reports_late', i.reportsLate.join(' '), i.reportsLate.length]);
  }
  if (f.silentSources !== null) {
    rows.push(['sources', 'checked', '', f.silentSources.checked]);
    for (const s of f.silentSources.silent) rows.push(['sources', 'silent', s.source, s.lastSeen]);
  }
  if (f.devices !== null) {
    rows.push(['devices', 'total', '', f.devices.total], ['devices', 'up', '', f.devices.up]);
    for (const d of f.devices.notUp) rows.push(['devices', 'not_up', d.name, d.status]);
  }
  if (f.agents !== null) {
    rows.push(['agents', 'total', '', f.agents.total], ['agents', 'online', '', f.agents.online]);
    for (const h of f.agents.offline) rows.push(['agents', 'offline', h, '']);
  }
  return ['section,metric,key,value', ...rows.map((r) => r.map(cell).join(','))].join('\r\n') + '\r\n';
}
