#!/bin/bash
# Regenerates expected/<capture>.nfdump.csv: nfdump's own decoding of each NetFlow/IPFIX capture here,
# one line per flow, used as the golden output by decode/golden.test.ts.
# Needs Debian's nfdump (apt-get install nfdump) and node. Tests do not run this; they read its output.
# nfcapd listens on a free loopback port; each datagram file (pkt-NNNN.bin) is sent once, in order.
# Times come from nfdump's JSON output (milliseconds); the other columns from its CSV output
# (1.7.1's JSON omits zero-valued v5 extensions, its fmt %ter prints wrong milliseconds).
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC
PORT=${PORT:-29995}
work=$(mktemp -d)
for cap in softflowd-v5 softflowd-v9 softflowd-ipfix pmacct-v9 pmacct-ipfix; do
  mkdir -p "$work/$cap"
  nfcapd -b 127.0.0.1 -p "$PORT" -w "$work/$cap" -t 60 >/dev/null 2>&1 &
  pid=$!
  sleep 0.7
  node -e '
    const dgram = require("node:dgram"), fs = require("node:fs"), path = require("node:path");
    const [dir, port] = process.argv.slice(1);
    const files = fs.readdirSync(dir).filter((f) => /^pkt-\d+\.bin$/.test(f)).sort();
    const s = dgram.createSocket("udp4");
    (async () => {
      for (const f of files) {
        await new Promise((r) => s.send(fs.readFileSync(path.join(dir, f)), Number(port), "127.0.0.1", r));
        await new Promise((r) => setTimeout(r, 2));
      }
      s.close();
    })();' "$cap" "$PORT"
  sleep 0.7
  kill "$pid"; wait "$pid" || true
  nfdump -R "$work/$cap" -o json > "$work/$cap.json"
  nfdump -R "$work/$cap" -o csv -q > "$work/$cap.csv"
  node -e '
    const fs = require("node:fs");
    const [jsonFile, csvFile, out] = process.argv.slice(1);
    const flows = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
    const rows = fs.readFileSync(csvFile, "utf8").split("\n").filter((l) => /^\d{4}-/.test(l)).map((l) => l.split(","));
    if (rows.length !== flows.length) throw new Error(`${csvFile}: ${rows.length} csv rows, ${flows.length} json flows`);
    const ms = (t) => Date.parse(t + "Z");
    const flagBits = (s) => [...s.trim()].reduce((v, c, i) => (c === "." ? v : v | (0x80 >> i)), 0);
    // csv: ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh
    const lines = ["first_ms,last_ms,proto,src,sport,dst,dport,packets,bytes,tcp_flags,in_if,out_if,src_as,dst_as,src_mask,dst_mask,tos,direction,next_hop"];
    flows.forEach((f, i) => {
      const c = rows[i];
      if (c[3] !== (f.src4_addr ?? f.src6_addr)) throw new Error(`row ${i}: csv/json order differs`);
      const dport = c[6].includes(".") ? c[6].split(".").reduce((t, v) => t * 256 + Number(v), 0) : Number(c[6]);
      lines.push([ms(f.first), ms(f.last), f.proto, c[3], c[5], c[4], dport, f.in_packets, f.in_bytes, flagBits(c[8]),
        c[15], c[16], c[17], c[18], c[19], c[20], c[10], c[22], c[23]].join(","));
    });
    fs.writeFileSync(out, lines.join("\n") + "\n");
    console.log(out, flows.length, "flows");' "$work/$cap.json" "$work/$cap.csv" "expected/$cap.nfdump.csv"
done
rm -rf "$work"
