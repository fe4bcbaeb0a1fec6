/** Actions that call other capabilities through ports: what they send, what they return, and a missing port. */
import type { IncidentInput, IncidentTimelineEntry, IncidentUpdate, PlaybookPorts } from '../ports';
import { actionContext, testServices } from '../testdata/fixtures';
import { containIsolateHost } from './contain-isolate-host';
import { enrichAsset } from './enrich-asset';
import { enrichGeoip } from './enrich-geoip';
import { incidentCreate } from './incident-create';
import { incidentUpdate } from './incident-update';
import { intelLookup } from './intel-lookup';

function ports() {
  const created: IncidentInput[] = [];
  const updates: Array<[string, IncidentUpdate]> = [];
  const timeline: Array<[string, IncidentTimelineEntry]> = [];
  const commands: string[] = [];
  const p: PlaybookPorts = {
    incidents: {
      create: (i) => (created.push(i), { id: `INC-${created.length}` }),
      update: (id, u) => void updates.push([id, u]),
      addTimeline: (id, e) => void timeline.push([id, e]),
    },
    agents: {
      isolate: (target, reason, org) => (commands.push(`isolate ${target} ${org} ${reason}`), { command_id: 'cmd-1', status: 'queued' }),
      release: (target, _reason, org) => (commands.push(`release ${target} ${org}`), { command_id: 'cmd-2', status: 'queued' }),
    },
    intel: { lookup: (values) => values.filter((v) => v === '198.51.100.30').map((value) => ({ value, type: 'ipv4-addr', source: 'feodo-tracker', confidence: 80 })) },
    geoip: { lookup: (ip) => (ip === '198.51.100.30' ? { country_iso_code: 'NL', asn: 64500, as_organization: 'Example Hosting' } : undefined) },
    assets: { lookup: (t, org) => (t === 'web01' ? { id: 'asset-17', name: 'web01', owner: 'IT HN', criticality: 'high', organization: org } : undefined) },
  };
  return { p, created, updates, timeline, commands };
}

describe('actions through ports', () => {
  test('incident.create opens an incident for the alert in its agency and notes the playbook; incident.update changes and notes', async () => {
    const t = ports();
    const ctx = actionContext(testServices({ ports: t.p }), { idempotencyKey: 'run-9:incident' });
    const out = await incidentCreate.run(ctx, incidentCreate.params.parse({ title: 'Brute force from 198.51.100.30' }));
    expect(out.output).toEqual({ id: 'INC-1' });
    expect(t.created).toEqual([{ title: 'Brute force from 198.51.100.30', severity: 'high', organization: 'hanoi-doh', alert_ids: ['a7f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b'], description: '', idempotency_key: 'run-9:incident' }]);
    expect(t.timeline[0]).toEqual(['INC-1', expect.objectContaining({ kind: 'playbook', actor: 'playbook:test' })]);
    await incidentUpdate.run(ctx, incidentUpdate.params.parse({ id: 'INC-1', status: 'in_progress', note: 'host isolated' }));
    expect(t.updates).toEqual([['INC-1', { status: 'in_progress', severity: undefined, assignee: undefined }]]);
    expect(t.timeline[1]).toEqual(['INC-1', expect.objectContaining({ text: 'host isolated' })]);
  });

  test('contain.isolate_host sends the command for the alert\'s agency', async () => {
    const t = ports();
    const ctx = actionContext(testServices({ ports: t.p }));
    const out = await containIsolateHost.run(ctx, containIsolateHost.params.parse({ target: 'web01' }));
    expect(out.output).toEqual({ target: 'web01', operation: 'isolate', command_id: 'cmd-1', status: 'queued' });
    expect(t.commands).toEqual(['isolate web01 hanoi-doh playbook test, alert a7f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b']);
    await containIsolateHost.run(ctx, containIsolateHost.params.parse({ target: 'web01', operation: 'release' }));
    expect(t.commands[1]).toBe('release web01 hanoi-doh');
  });

  test('lookups: intel, GeoIP, asset', async () => {
    const t = ports();
    const ctx = actionContext(testServices({ ports: t.p }));
    expect((await intelLookup.run(ctx, intelLookup.params.parse({ values: ['198.51.100.30', 'web01', null] }))).output).toEqual({
      checked: 2,
      hit: true,
      matches: [{ value: '198.51.100.30', type: 'ipv4-addr', source: 'feodo-tracker', confidence: 80 }],
    });
    expect((await enrichGeoip.run(ctx, enrichGeoip.params.parse({ ip: '198.51.100.30' }))).output).toMatchObject({ found: true, country_iso_code: 'NL', asn: 64500 });
    expect((await enrichGeoip.run(ctx, enrichGeoip.params.parse({ ip: '192.0.2.1' }))).output).toMatchObject({ found: false, country_iso_code: null });
    expect(enrichGeoip.params.safeParse({ ip: 'web01' }).success).toBe(false);
    expect((await enrichAsset.run(ctx, enrichAsset.params.parse({ target: 'web01' }))).output).toMatchObject({ found: true, asset: { id: 'asset-17', organization: 'hanoi-doh' } });
  });

  test('a port this deployment lacks is a clear step error', async () => {
    const ctx = actionContext(testServices({ ports: {} }));
    await expect(containIsolateHost.run(ctx, containIsolateHost.params.parse({ target: 'web01' }))).rejects.toThrow('contain.isolate_host: no endpoint agent service is configured in this deployment');
    await expect(incidentCreate.run(ctx, incidentCreate.params.parse({ title: 'x' }))).rejects.toThrow('incident.create: no incident service is configured');
    await expect(intelLookup.run(ctx, intelLookup.params.parse({ values: ['x'] }))).rejects.toThrow('intel.lookup: no threat-intelligence store is configured');
  });
});
