/**
 * Field reads through the per-event shortcuts (container walks shared by every field under them,
 * flat-key lookups only where dotted keys exist) must read exactly what a plain walk of each
 * candidate path reads.
 */
import { EventView, FieldAccessor, FieldTable } from './event-view';

const PATHS: string[][] = [
  ['winlog.event_data.Image', 'winlog.user_data.Image', 'Event.EventData.Image', 'Event.System.Image', 'process.executable', 'Image'],
  ['winlog.event_data.CommandLine', 'Event.EventData.CommandLine', 'process.command_line', 'CommandLine'],
  ['winlog.channel', 'Event.System.Channel'],
  ['Event.System.EventID'],
  ['dns.answers.data'],
  ['source.ip'],
];

const EVENTS: Record<string, unknown>[] = [
  { winlog: { channel: 'Security', event_data: { Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c dir' } } },
  { winlog: { channel: 'x', event_data: {} }, process: { executable: '/usr/bin/ls', command_line: 'ls -la' } },
  { 'winlog.event_data.Image': 'flat top', winlog: { channel: 'y' } },
  { winlog: { 'event_data.Image': 'flat nested', event_data: { CommandLine: 'nested' } } },
  { Event: { System: { Channel: 'Security', EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 4688 } }, EventData: { Image: 'evtx' } } },
  { Event: 'not an object', Image: 'bare' },
  { winlog: [{ event_data: { Image: 'in an array' } }] },
  { dns: { answers: [{ data: '1.2.3.4' }, { data: '5.6.7.8' }] }, source: { ip: '10.0.0.1' } },
  { source: { 'ip.x': 1 }, 'source.ip': 'flat ip' },
  { winlog: { event_data: null, channel: 7 }, process: null },
];

describe('EventView field reads', () => {
  it('read through container walks what a plain walk of each path reads', () => {
    const table = new FieldTable();
    const slots = PATHS.map((p) => table.slot(p));
    table.seal();
    const view = new EventView(table);
    // Twice over, so walks cached for one event cannot leak into the next.
    for (let round = 0; round < 2; round++) {
      for (const event of EVENTS) {
        view.reset(event);
        slots.forEach((slot, i) => {
          expect([JSON.stringify(event), PATHS[i][0], view.raw(slot)]).toEqual([JSON.stringify(event), PATHS[i][0], new FieldAccessor(PATHS[i]).read(event)]);
        });
      }
    }
  });
});
