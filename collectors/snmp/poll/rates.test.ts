import { agentRestarted, counterDelta, deviceRates, interfaceRates, interfaceSpeedBps } from './rates';
import type { DeviceSample, InterfaceCounters, InterfaceSample } from './types';

const c32 = (value: number) => ({ value, bits: 32 as const });
const c64 = (value: number) => ({ value, bits: 64 as const });
const MAX32 = 4294967295;

function iface(counters: InterfaceCounters, extra: Partial<InterfaceSample> = {}): InterfaceSample {
  return { index: 1, speedBps: 1_000_000_000, counters, ...extra };
}

describe('counterDelta', () => {
  it('subtracts when the counter grew', () => {
    expect(counterDelta(c32(1000), c32(1500))).toBe(500);
    expect(counterDelta(c64(2 ** 50), c64(2 ** 50 + 123))).toBe(123);
    expect(counterDelta(c32(7), c32(7))).toBe(0);
  });

  it('counts one wrap for a Counter32 that went backwards', () => {
    expect(counterDelta(c32(MAX32 - 99), c32(400))).toBe(500);
    expect(counterDelta(c32(MAX32), c32(0))).toBe(1);
  });

  it('gives nothing for a Counter64 that went backwards (reset), mixed widths, or a missing side', () => {
    expect(counterDelta(c64(10_000), c64(5))).toBeUndefined();
    expect(counterDelta(c32(10), c64(20))).toBeUndefined();
    expect(counterDelta(undefined, c32(20))).toBeUndefined();
    expect(counterDelta(c32(20), undefined)).toBeUndefined();
  });
});

describe('interfaceSpeedBps', () => {
  it('uses ifSpeed below its ceiling and ifHighSpeed above it', () => {
    expect(interfaceSpeedBps(1_544_000, 2)).toBe(1_544_000); // a T1: ifHighSpeed rounds to 2 Mb/s
    expect(interfaceSpeedBps(1_000_000_000, 1000)).toBe(1_000_000_000);
    expect(interfaceSpeedBps(MAX32, 10_000)).toBe(10_000_000_000);
    expect(interfaceSpeedBps(MAX32, 100_000)).toBe(100_000_000_000);
    expect(interfaceSpeedBps(undefined, 40_000)).toBe(40_000_000_000);
    expect(interfaceSpeedBps(0, 0)).toBeUndefined();
    expect(interfaceSpeedBps(undefined, undefined)).toBeUndefined();
    expect(interfaceSpeedBps(MAX32, 0)).toBe(MAX32);
  });
});

describe('agentRestarted', () => {
  it('is false when uptime advanced by about the elapsed time, including through the 2^32 tick wrap', () => {
    expect(agentRestarted(100_000, 106_000, 60_000)).toBe(false);
    expect(agentRestarted(100_000, 105_400, 60_000)).toBe(false); // within tolerance (slow reply)
    expect(agentRestarted(MAX32 - 2999, 3000, 60_000)).toBe(false); // 497 days up: the counter wrapped
  });

  it('is true when uptime fell back or advanced less than the time that passed', () => {
    expect(agentRestarted(8_640_000, 1_200, 60_000)).toBe(true); // a day up, now 12 s
    expect(agentRestarted(1_000, 4_500, 60_000)).toBe(true); // up 10 s, rebooted, up 45 s: larger yet a restart
    expect(agentRestarted(MAX32 - 2999, 500_000, 60_000)).toBe(true); // a "wrap" that adds 83 minutes in one
  });
});

describe('interfaceRates', () => {
  it('computes bps, pps, errors, discards and utilisation from 64-bit counters', () => {
    const prev = iface({
      inOctets: c64(1_000_000_000), outOctets: c64(5_000_000_000), inUcastPkts: c64(1000), inMulticastPkts: c64(10), inBroadcastPkts: c64(5),
      outUcastPkts: c64(2000), outMulticastPkts: c64(0), outBroadcastPkts: c64(0), inErrors: c32(3), outErrors: c32(0), inDiscards: c32(100), outDiscards: c32(7),
    });
    const curr = iface({
      inOctets: c64(1_000_000_000 + 750_000_000), outOctets: c64(5_000_000_000 + 75_000_000), inUcastPkts: c64(601_000), inMulticastPkts: c64(610), inBroadcastPkts: c64(605),
      outUcastPkts: c64(302_000), outMulticastPkts: c64(0), outBroadcastPkts: c64(600), inErrors: c32(63), outErrors: c32(0), inDiscards: c32(100), outDiscards: c32(127),
    });
    expect(interfaceRates(prev, curr, 60_000)).toEqual({
      inBps: 100_000_000,
      outBps: 10_000_000,
      inPps: (600_000 + 600 + 600) / 60,
      outPps: (300_000 + 600) / 60,
      inErrorsPs: 1,
      outErrorsPs: 0,
      inDiscardsPs: 0,
      outDiscardsPs: 2,
      inUtilizationPct: 10,
      outUtilizationPct: 1,
      utilizationPct: 10,
    });
  });

  it('handles one Counter32 wrap on a slow link and refuses a "wrap" faster than the link', () => {
    const speed = { speedBps: 100_000_000 };
    const wrappedOnce = interfaceRates(iface({ inOctets: c32(MAX32 - 374_999_999) }, speed), iface({ inOctets: c32(375_000_000) }, speed), 60_000);
    expect(wrappedOnce.inBps).toBeCloseTo(100_000_000, 6); // 750 MB in 60 s through the wrap: 100 Mb/s
    expect(wrappedOnce.utilizationPct).toBeCloseTo(100, 6);
    // Slightly lower than before on a 100 Mb/s port: a "wrap" would mean 572 Mb/s, so it was a reset.
    const cleared = interfaceRates(iface({ inOctets: c32(4_000_000_000) }, speed), iface({ inOctets: c32(3_999_000_000) }, speed), 60_000);
    expect(cleared.inBps).toBeUndefined();
    expect(cleared.utilizationPct).toBeUndefined();
  });

  it('gives no traffic rate when a Counter64 went backwards, but keeps the others', () => {
    const r = interfaceRates(iface({ inOctets: c64(9e12), inErrors: c32(5) }), iface({ inOctets: c64(1000), inErrors: c32(65) }), 60_000);
    expect(r).toEqual({ inErrorsPs: 1 });
  });

  it('falls back to ifInNUcastPkts without ifXTable packet counters', () => {
    const r = interfaceRates(iface({ inUcastPkts: c32(0), inNUcastPkts: c32(0) }), iface({ inUcastPkts: c32(900), inNUcastPkts: c32(300) }), 10_000);
    expect(r.inPps).toBe(120);
  });

  it('gives nothing when ifCounterDiscontinuityTime changed or no time passed', () => {
    const before = iface({ inOctets: c64(0) }, { discontinuityTicks: 0 });
    const after = iface({ inOctets: c64(1_000_000) }, { discontinuityTicks: 81_234 });
    expect(interfaceRates(before, after, 60_000)).toEqual({});
    expect(interfaceRates(iface({ inOctets: c64(0) }), iface({ inOctets: c64(5) }), 0)).toEqual({});
  });

  it('has no utilisation without a speed', () => {
    const r = interfaceRates(iface({ outOctets: c64(0) }, { speedBps: undefined }), iface({ outOctets: c64(1250) }, { speedBps: undefined }), 1000);
    expect(r).toEqual({ outBps: 10_000 });
  });
});

describe('deviceRates', () => {
  const sample = (at: number, uptimeTicks: number, inOctets: number): DeviceSample => ({
    at,
    system: { uptimeTicks },
    interfaces: new Map([[1, iface({ inOctets: c64(inOctets) })], [2, { index: 2, counters: { inOctets: c32(inOctets % 2 ** 32) } }]]),
    processorLoads: [],
    storage: [],
    errors: [],
  });

  it('rates every interface present in both samples', () => {
    const r = deviceRates(sample(0, 1_000_000, 0), sample(30_000, 1_003_000, 3_750_000));
    expect(r.restarted).toBe(false);
    expect(r.interfaces.get(1)?.inBps).toBe(1_000_000);
    expect(r.interfaces.get(2)?.inBps).toBe(1_000_000);
  });

  it('reports a reboot and no rates when sysUpTime restarted', () => {
    const r = deviceRates(sample(0, 8_640_000, 5_000_000), sample(60_000, 2_000, 10_000));
    expect(r).toEqual({ restarted: true, interfaces: new Map() });
  });

  it('has nothing to compare on the first poll', () => {
    expect(deviceRates(undefined, sample(0, 1, 1))).toEqual({ restarted: false, interfaces: new Map() });
  });
});
