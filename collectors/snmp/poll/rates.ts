/**
 * Rates from two polls, as pure functions. Counter rules (RFC 2578 §7.1.6 and §7.1.10): a Counter32
 * wraps to 0 after 2^32-1, so a smaller reading is one wrap; a Counter64 does not wrap in the life of
 * a device, so a smaller reading is a reset. A counter's history is only meaningful while the agent
 * keeps running (sysUpTime) and ifCounterDiscontinuityTime holds still; otherwise the pair gives no
 * rate rather than a wrong one.
 */
import type { CounterValue, DeviceSample, InterfaceCounterName, InterfaceCounters, InterfaceRates, InterfaceSample } from './types';

const TWO_POW_32 = 4294967296;
/** ifSpeed's ceiling: "If the bandwidth of the interface is greater than the maximum value reportable by this object then this object should report its maximum value (4,294,967,295) and ifHighSpeed must be used" (RFC 2863). */
const IF_SPEED_SATURATED = 4294967295;

/** Increase between two readings of one counter, or undefined when the pair cannot give one. */
export function counterDelta(prev: CounterValue | undefined, curr: CounterValue | undefined): number | undefined {
  if (prev === undefined || curr === undefined || prev.bits !== curr.bits) return undefined;
  if (curr.value >= prev.value) return curr.value - prev.value;
  if (curr.bits === 32) return curr.value + TWO_POW_32 - prev.value;
  return undefined;
}

/** True when the 32-bit pair wrapped (only such deltas are ambiguous enough to need a plausibility check). */
function wrapped(prev: CounterValue | undefined, curr: CounterValue | undefined): boolean {
  return prev !== undefined && curr !== undefined && curr.bits === 32 && curr.value < prev.value;
}

/** Interface speed in bit/s from ifSpeed and ifHighSpeed (Mb/s), undefined when neither is known or both are 0. */
export function interfaceSpeedBps(ifSpeed: number | undefined, ifHighSpeed: number | undefined): number | undefined {
  if (ifSpeed !== undefined && ifSpeed > 0 && ifSpeed < IF_SPEED_SATURATED) return ifSpeed;
  if (ifHighSpeed !== undefined && ifHighSpeed > 0) return ifHighSpeed * 1_000_000;
  if (ifSpeed === IF_SPEED_SATURATED) return ifSpeed;
  return undefined;
}

/**
 * Whether the SNMP agent restarted between two polls. sysUpTime (hundredths of a second) advances
 * with wall time and wraps after 2^32 ticks (~497 days). It should have advanced by about the
 * elapsed time; falling short means it started again in between (even when the new value is larger
 * than the old one), and a "wrap" that adds far more than the elapsed time was a restart too.
 * Tolerance: 5 s plus 10 % of the interval, for request latency and retries.
 */
export function agentRestarted(prevTicks: number, currTicks: number, elapsedMs: number): boolean {
  const elapsedTicks = elapsedMs / 10;
  const tolerance = 500 + elapsedTicks * 0.1;
  if (currTicks >= prevTicks) return currTicks - prevTicks < elapsedTicks - tolerance;
  const advancedThroughWrap = currTicks + TWO_POW_32 - prevTicks;
  return Math.abs(advancedThroughWrap - elapsedTicks) > tolerance;
}

function perSecond(delta: number | undefined, seconds: number): number | undefined {
  return delta === undefined ? undefined : delta / seconds;
}

/** Sum of the deltas of the counters present in both samples; undefined if none is. */
function sumDeltas(prev: InterfaceCounters, curr: InterfaceCounters, names: readonly InterfaceCounterName[]): number | undefined {
  let total: number | undefined;
  for (const n of names) {
    const d = counterDelta(prev[n], curr[n]);
    if (d !== undefined) total = (total ?? 0) + d;
  }
  return total;
}

/** Packets: unicast + multicast + broadcast, the deprecated ifInNUcastPkts only where ifXTable is missing. */
const IN_PACKETS_X: readonly InterfaceCounterName[] = ['inUcastPkts', 'inMulticastPkts', 'inBroadcastPkts'];
const IN_PACKETS_OLD: readonly InterfaceCounterName[] = ['inUcastPkts', 'inNUcastPkts'];
const OUT_PACKETS_X: readonly InterfaceCounterName[] = ['outUcastPkts', 'outMulticastPkts', 'outBroadcastPkts'];
const OUT_PACKETS_OLD: readonly InterfaceCounterName[] = ['outUcastPkts', 'outNUcastPkts'];

/**
 * Rates of one interface between two samples `elapsedMs` apart. A Counter32 octet delta that only a
 * wrap explains yet implies more than the link speed (plus 10 %) was several wraps or a reset: no bps.
 */
export function interfaceRates(prev: InterfaceSample, curr: InterfaceSample, elapsedMs: number): InterfaceRates {
  const rates: InterfaceRates = {};
  if (elapsedMs <= 0) return rates;
  if (prev.discontinuityTicks !== undefined && curr.discontinuityTicks !== undefined && prev.discontinuityTicks !== curr.discontinuityTicks) return rates;
  const seconds = elapsedMs / 1000;
  const p = prev.counters;
  const c = curr.counters;
  const speed = curr.speedBps;
  const bitsPerSecond = (name: 'inOctets' | 'outOctets'): number | undefined => {
    const d = counterDelta(p[name], c[name]);
    if (d === undefined) return undefined;
    const bps = (d * 8) / seconds;
    if (wrapped(p[name], c[name]) && speed !== undefined && bps > speed * 1.1) return undefined;
    return bps;
  };
  rates.inBps = bitsPerSecond('inOctets');
  rates.outBps = bitsPerSecond('outOctets');
  const hasX = c.inMulticastPkts !== undefined || c.inBroadcastPkts !== undefined;
  rates.inPps = perSecond(sumDeltas(p, c, hasX ? IN_PACKETS_X : IN_PACKETS_OLD), seconds);
  rates.outPps = perSecond(sumDeltas(p, c, hasX ? OUT_PACKETS_X : OUT_PACKETS_OLD), seconds);
  rates.inErrorsPs = perSecond(counterDelta(p.inErrors, c.inErrors), seconds);
  rates.outErrorsPs = perSecond(counterDelta(p.outErrors, c.outErrors), seconds);
  rates.inDiscardsPs = perSecond(counterDelta(p.inDiscards, c.inDiscards), seconds);
  rates.outDiscardsPs = perSecond(counterDelta(p.outDiscards, c.outDiscards), seconds);
  if (speed !== undefined && speed > 0) {
    if (rates.inBps !== undefined) rates.inUtilizationPct = (rates.inBps / speed) * 100;
    if (rates.outBps !== undefined) rates.outUtilizationPct = (rates.outBps / speed) * 100;
    if (rates.inUtilizationPct !== undefined || rates.outUtilizationPct !== undefined) {
      rates.utilizationPct = Math.max(rates.inUtilizationPct ?? 0, rates.outUtilizationPct ?? 0);
    }
  }
  for (const k of Object.keys(rates) as (keyof InterfaceRates)[]) if (rates[k] === undefined) delete rates[k];
  return rates;
}

export interface DeviceRates {
  /** The agent restarted between the samples: no rate this time, the new sample is the baseline. */
  restarted: boolean;
  interfaces: Map<number, InterfaceRates>;
}

/** Rates of every interface present in both samples. */
export function deviceRates(prev: DeviceSample | undefined, curr: DeviceSample): DeviceRates {
  const interfaces = new Map<number, InterfaceRates>();
  if (prev === undefined) return { restarted: false, interfaces };
  const elapsedMs = curr.at - prev.at;
  const pu = prev.system.uptimeTicks;
  const cu = curr.system.uptimeTicks;
  if (pu !== undefined && cu !== undefined && agentRestarted(pu, cu, elapsedMs)) return { restarted: true, interfaces };
  for (const [index, sample] of curr.interfaces) {
    const before = prev.interfaces.get(index);
    if (before !== undefined) interfaces.set(index, interfaceRates(before, sample, elapsedMs));
  }
  return { restarted: false, interfaces };
}
