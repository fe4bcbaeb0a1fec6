/**
 * The message mix of the syslog benches: Linux auth, Cisco ASA, FortiGate, RFC 5424 application
 * lines (~150-330 bytes). Each carries the time of day `10:15:01`, which the senders rewrite with a
 * moving clock, and gets a sequence number appended.
 */
export const SYSLOG_BENCH_TEMPLATES: readonly string[] = [
  '<38>Nov 27 10:15:01 web-01 sshd[2211]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2 #',
  '<166>Nov 27 2026 10:15:01: %ASA-6-302014: Teardown TCP connection 4419 for outside:198.51.100.7/443 to inside:10.1.2.3/51234 duration 0:00:12 bytes 10234 TCP FINs #',
  '<189>date=2026-11-27 time=10:15:01 devname="FGT-Q1" devid="FG100FTK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.1.20.5 srcport=53211 srcintf="port2" dstip=93.184.216.34 dstport=443 dstintf="wan1" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=1834 rcvdbyte=9211 #',
  '<134>1 2026-11-27T10:15:01.123+07:00 app-02 billing 4411 TX [meta@32473 tenant="q1"] payment accepted order=#',
];

/** The time of day in every template. */
export const SYSLOG_BENCH_TIME_TEXT = '10:15:01';
