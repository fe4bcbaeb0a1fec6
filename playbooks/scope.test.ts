import { runScope } from './scope';
import { compileTemplate, renderText } from './template/template';
import { sshAlert } from './testdata/fixtures';

const base = { playbook: { id: 'p', name: 'P' }, run: { id: 'r', dry_run: false, manual: false, trigger: 'alert' }, socEmail: [] };
const render = (text: string, scope: ReturnType<typeof runScope>): string => renderText(compileTemplate(text), scope);
const names = new Map([['so-yte', 'Sở Y tế']]);

describe('run scope', () => {
  it("fills the alert's agency name from the configuration when the events carried only the id", () => {
    const scope = runScope({ ...base, alert: sshAlert({ organization: { id: 'so-yte' } }), agencyNames: names });
    expect(render('Agency: {{ alert.organization.name | default(alert.organization.id) }}', scope)).toBe('Agency: Sở Y tế');
  });

  it('keeps a name the alert has, and the id for an agency the configuration does not name', () => {
    const named = runScope({ ...base, alert: sshAlert({ organization: { id: 'so-yte', name: 'Sở Y tế TP.HCM' } }), agencyNames: names });
    expect(render('{{ alert.organization.name }}', named)).toBe('Sở Y tế TP.HCM');
    const unknown = runScope({ ...base, alert: sshAlert({ organization: { id: 'ubnd-q1' } }), agencyNames: names });
    expect(render('{{ alert.organization.name | default(alert.organization.id) }}', unknown)).toBe('ubnd-q1');
  });
});
