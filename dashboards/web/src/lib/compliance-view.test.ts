import type { Assessment, RequirementResult } from '../api/compliance';
import { complianceTone, evidenceKinds, gapsOf, inLang, metShare } from './compliance-view';

function requirement(id: string, status: RequirementResult['status']): RequirementResult {
  return { id, group: 'VN.LOG', title_vi: `Yêu cầu ${id}`, title_en: `Requirement ${id}`, clause: 'TCVN 11930:2017 7.2.1.4', uncertain: false, status, evidence: [], manual: [], actions: [] };
}

describe('compliance view helpers', () => {
  it('lists gaps worst first and leaves met and not applicable requirements out', () => {
    const a: Pick<Assessment, 'requirements'> = {
      requirements: [requirement('VN.LOG.B', 'needs_manual_evidence'), requirement('VN.LOG.A', 'met'), requirement('VN.MON.REPORTS', 'partly_met'), requirement('VN.NET.X', 'not_applicable'), requirement('VN.LOG.C', 'not_met')],
    };
    expect(gapsOf(a).map((r) => `${r.id}:${r.status}`)).toEqual(['VN.LOG.C:not_met', 'VN.MON.REPORTS:partly_met', 'VN.LOG.B:needs_manual_evidence']);
  });

  it('computes the share met over applicable requirements only', () => {
    expect(metShare({ met: 3, partly_met: 1, not_met: 0, needs_manual_evidence: 2, not_applicable: 10 })).toBeCloseTo(0.5);
    expect(metShare({ met: 0, partly_met: 0, not_met: 0, needs_manual_evidence: 0, not_applicable: 4 })).toBeNull();
  });

  it('colours statuses of requirements, evidence and manual findings', () => {
    expect(['met', 'partly_met', 'not_met', 'missing', 'needs_manual_evidence', 'unavailable', 'not_applicable', 'info'].map(complianceTone)).toEqual(['ok', 'part', 'bad', 'bad', 'todo', 'todo', 'na', 'na']);
  });

  it('collects the evidence kinds of a regime once each, sorted', () => {
    expect(evidenceKinds([{ evidence: ['policy_document', 'log_retention_days'] }, {}, { evidence: ['log_retention_days', 'backup_test_record'] }])).toEqual(['backup_test_record', 'log_retention_days', 'policy_document']);
  });

  it('falls back to Vietnamese when the English text is empty', () => {
    expect(inLang({ vi: 'Lưu trữ nhật ký 90 ngày', en: '' }, 'en')).toBe('Lưu trữ nhật ký 90 ngày');
    expect(inLang({ vi: 'Lưu trữ nhật ký', en: 'Log retention' }, 'en')).toBe('Log retention');
  });
});
