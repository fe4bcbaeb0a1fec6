#!/usr/bin/env bash
# Checks agents/install/install.sh on a real Debian 12 (bookworm) system:
#   scripts/check-install.sh WORKDIR
# 1. builds a bookworm root with debootstrap under WORKDIR/bookworm (kept and reused: the first run
#    takes a few minutes, later ones seconds);
# 2. puts this machine's Node 20 in it as /usr/local/bin/node (bookworm's own nodejs is 18, which
#    install.sh refuses), as an admin following its message would;
# 3. starts the real socnoc server (dist/app/cli.js start) on 127.0.0.1 with free ports and creates a
#    token with `socnoc agent token create`;
# 4. runs `install.sh install` inside the root with chroot (systemd is not PID 1 there: install.sh
#    must install and enable the unit and say how to start it), then starts the agent as that message
#    and the unit say, as the socnoc-agent user;
# 5. appends an sshd line to a tailed file in the root and waits until socnoc's API returns it with
#    the agent's identity, and GET /api/v1/agents lists the agent online;
# 6. runs `install.sh upgrade` and `install.sh uninstall --purge` and checks what they leave.
# Before 3, the RHEL-family branch is run with apt-get hidden and a stand-in dnf (see below).
# Needs root, debootstrap and a built tree (npm run build). DEBIAN_MIRROR overrides debootstrap's mirror.
set -euo pipefail

WORK=${1:?usage: scripts/check-install.sh WORKDIR}
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT="$WORK/bookworm"
SRV="$WORK/server"
PKG=/tmp/socnoc-agent-pkg
LOG_IN_ROOT=/var/log/socnoc-check/auth.log
ADMIN_PASSWORD=check-install-admin-1
started=$(date +%s)

say() { echo "[check-install $(($(date +%s) - started))s] $*"; }
fail() { echo "[check-install] FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
if [ ! -f "$REPO/dist/app/cli.js" ] || [ ! -f "$REPO/agents/dist/cli.js" ]; then fail "build first: npm run build"; fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || fail "this machine's node is older than 20"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
ROOT="$WORK/bookworm"
SRV="$WORK/server"

server_pid=''
agent_pid=''
cleanup() {
  set +e
  [ -n "$agent_pid" ] && kill -TERM -- "-$agent_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  for m in "$ROOT/dev/pts" "$ROOT/dev" "$ROOT/proc"; do mountpoint -q "$m" && umount -l "$m"; done
}
trap cleanup EXIT

# 1. The Debian root: systemd so that systemctl exists (it does not run), procps for the checks below.
if [ ! -f "$ROOT/.socnoc-debootstrap-done" ]; then
  say "debootstrap bookworm into $ROOT (minutes)"
  rm -rf "$ROOT"
  # shellcheck disable=SC2086 # the mirror is optional: debootstrap's default when unset
  debootstrap --variant=minbase --include=systemd,systemd-sysv,ca-certificates,procps bookworm "$ROOT" ${DEBIAN_MIRROR:-} >"$WORK/debootstrap.log" 2>&1 || fail "debootstrap failed; see $WORK/debootstrap.log"
  touch "$ROOT/.socnoc-debootstrap-done"
fi
grep -q 'VERSION_CODENAME=bookworm' "$ROOT/etc/os-release" || fail "$ROOT is not Debian bookworm"
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

# A previous run's agent may still be installed: start from a clean host.
if [ -f "$ROOT/etc/systemd/system/socnoc-agent.service" ]; then in_root sh "$PKG/install/install.sh" uninstall --purge >/dev/null 2>&1 || true; fi

# 2. Node 20 as an admin would add it (bookworm's apt offers 18: install.sh must say so, not install it).
rm -f "$ROOT/usr/local/bin/node"
rm -rf "$ROOT$PKG"
mkdir -p "$ROOT$PKG"
cp -R "$REPO/agents/dist" "$REPO/agents/install" "$REPO/agents/package.json" "$ROOT$PKG/"
if out=$(in_root sh "$PKG/install/install.sh" install --server https://127.0.0.1:1 --token x 2>&1); then fail "install.sh accepted a host without Node 20: $out"; fi
echo "$out" | grep -q 'Node.js 20 or later is required' || fail "install.sh without Node 20 said: $out"
say "without Node 20, install.sh stops with: $(echo "$out" | tail -n 1)"
# RHEL family, as far as it can be run here (Red Hat/Rocky repositories are not reachable): apt-get
# hidden and a stand-in `dnf` that installs Node as RHEL 9's nodejs:20 module stream would. Checks
# that install.sh takes the dnf branch and asks for the 20 stream, then goes on to create the user,
# files and unit (enrolment then fails: no server is given).
mv "$ROOT/usr/bin/apt-get" "$ROOT/usr/bin/apt-get.socnoc-hidden"
install -m 0755 "$(command -v node)" "$ROOT/root/node-for-fake-dnf"
cat >"$ROOT/usr/local/sbin/dnf" <<'EOF_DNF'
#!/bin/sh
echo "dnf $*" >>/root/fake-dnf.log
case "$*" in "module install -y nodejs:20") install -m 0755 /root/node-for-fake-dnf /usr/local/bin/node ;; *) exit 1 ;; esac
EOF_DNF
chmod 0755 "$ROOT/usr/local/sbin/dnf"
rm -f "$ROOT/root/fake-dnf.log"
out=$(in_root sh "$PKG/install/install.sh" install --server https://127.0.0.1:1 --token x.y.z 2>&1) && fail "install.sh succeeded against no server: $out"
mv "$ROOT/usr/bin/apt-get.socnoc-hidden" "$ROOT/usr/bin/apt-get"
[ "$(cat "$ROOT/root/fake-dnf.log" 2>/dev/null)" = "dnf module install -y nodejs:20" ] || fail "dnf branch not taken as expected: $(cat "$ROOT/root/fake-dnf.log" 2>/dev/null) / $out"
if [ ! -x "$ROOT/usr/local/bin/node" ] || [ ! -f "$ROOT/etc/systemd/system/socnoc-agent.service" ]; then fail "dnf path did not install node and the unit: $out"; fi
say "RHEL-family branch (fake dnf): asked for 'module install -y nodejs:20', installed the unit, stopped at enrolment: $(echo "$out" | tail -n 1)"
in_root sh "$PKG/install/install.sh" uninstall --purge >/dev/null 2>&1 || fail "uninstall after the dnf run"
rm -f "$ROOT/usr/local/sbin/dnf" "$ROOT/root/node-for-fake-dnf" "$ROOT/root/fake-dnf.log" "$ROOT/usr/local/bin/node"

install -m 0755 "$(command -v node)" "$ROOT/usr/local/bin/node"
say "node $(in_root node --version) in the root"

# 3. The socnoc server on loopback (the chroot shares this machine's network).
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
HTTP_PORT=$(free_port)
AGENT_PORT=$(free_port)
rm -rf "$SRV"
mkdir -p "$SRV"
cat >"$SRV/socnoc.yaml" <<EOF
dataDir: $SRV/data
log: { level: warn }
http: { host: 127.0.0.1, port: $HTTP_PORT }
syslog:
  listeners:
    - { name: udp, protocol: udp, host: 127.0.0.1, port: 0 }
netflow: { enabled: false }
snmp: { traps: { enabled: false }, poller: { enabled: false } }
agents:
  listen: { host: 127.0.0.1, port: $AGENT_PORT }
  defaultConfig:
    heartbeatSeconds: 5
    tailPollMs: 200
    files: [{ path: $LOG_IN_ROOT, dataset: linux.auth }]
    inventory: { intervalSeconds: 0 }
    yara: { enabled: false }
EOF
(cd "$SRV" && SOCNOC_ADMIN_PASSWORD=$ADMIN_PASSWORD exec node "$REPO/dist/app/cli.js" start --config "$SRV/socnoc.yaml" >"$SRV/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || fail "socnoc start exited; see $SRV/server.log"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/api/v1/health" >/dev/null || fail "socnoc did not answer /api/v1/health; see $SRV/server.log"
TOKEN=$(cd "$SRV" && node "$REPO/dist/app/cli.js" agent token create --agency check-agency --uses 1 --expires 1h --config "$SRV/socnoc.yaml")
say "socnoc listening (API $HTTP_PORT, agents $AGENT_PORT); token created"

# 4. install.sh inside Debian.
mkdir -p "$ROOT$(dirname "$LOG_IN_ROOT")"
: >"$ROOT$LOG_IN_ROOT"
chmod 0644 "$ROOT$LOG_IN_ROOT"
out=$(in_root sh "$PKG/install/install.sh" install --server "https://127.0.0.1:$AGENT_PORT" --token "$TOKEN" 2>&1) || fail "install.sh install: $out"
printf '    | %s\n' "$out"
echo "$out" | grep -q 'systemd is not running here' || fail "install.sh did not say that systemd is not running"
[ -f "$ROOT/etc/systemd/system/socnoc-agent.service" ] || fail "unit not installed"
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/socnoc-agent.service" ] || fail "unit not enabled"
exec_start=$(sed -n 's/^ExecStart=//p' "$ROOT/etc/systemd/system/socnoc-agent.service")
case "$exec_start" in /usr/local/bin/node\ *) ;; *) fail "unit runs '$exec_start', not the node found on PATH" ;; esac
agent_uid=$(in_root id -u socnoc-agent) || fail "user socnoc-agent missing"
# Numeric owners: this machine's /etc/passwd names the root's uids differently.
[ "$(stat -c '%u %a' "$ROOT/var/lib/socnoc-agent")" = "$agent_uid 700" ] || fail "agent home not private to socnoc-agent: $(stat -c '%u %a' "$ROOT/var/lib/socnoc-agent")"
[ "$(stat -c '%u %a' "$ROOT/var/lib/socnoc-agent/identity.json")" = "$agent_uid 600" ] || fail "identity.json not 0600 socnoc-agent"
say "installed: unit enabled, ExecStart=$exec_start, enrolled as $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).agentId)' "$ROOT/var/lib/socnoc-agent/identity.json" 2>/dev/null || echo '?')"

# The agent as the unit runs it (User=, Environment=, ExecStart=), without systemd.
# Its own process group (setsid execs in place here), so that stopping it reaches node under runuser.
# shellcheck disable=SC2086 # ExecStart is a command line
setsid chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin runuser -u socnoc-agent -- env SOCNOC_AGENT_HOME=/var/lib/socnoc-agent $exec_start >"$WORK/agent.log" 2>&1 &
agent_pid=$!

# 5. One line, shipped and stored, with the agency from the token and the agent's identity.
LINE="$(date '+%b %e %H:%M:%S') check-host sshd[4242]: Failed password for invalid user check$$ from 198.51.100.77 port 51515 ssh2"
sleep 2
echo "$LINE" >>"$ROOT$LOG_IN_ROOT"
SESSION=$(curl -fsS -H 'content-type: application/json' -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "http://127.0.0.1:$HTTP_PORT/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
found=''
for _ in $(seq 1 60); do
  found=$(curl -fsS -H "authorization: Bearer $SESSION" "http://127.0.0.1:$HTTP_PORT/api/v1/events?limit=10&q=user.name:check$$" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const e=JSON.parse(s).events[0];if(e)console.log(JSON.stringify({message:e.message,dataset:e.event.dataset,org:e.organization.id,agent:e.agent.id,source:e.source&&e.source.ip}))})')
  [ -n "$found" ] && break
  kill -0 "$agent_pid" 2>/dev/null || fail "the agent exited; see $WORK/agent.log"
  sleep 0.5
done
[ -n "$found" ] || fail "the line did not arrive; agent log: $(tail -n 5 "$WORK/agent.log")"
echo "$found" | grep -q '"org":"check-agency"' || fail "stored with the wrong agency: $found"
say "line stored: $found"
agents=$(curl -fsS -H "authorization: Bearer $SESSION" "http://127.0.0.1:$HTTP_PORT/api/v1/agents")
echo "$agents" | grep -q '"status":"online"' || fail "agent not online: $agents"
say "GET /api/v1/agents: $agents"

kill -TERM -- "-$agent_pid"
wait "$agent_pid" 2>/dev/null || true
agent_pid=''

# 6. Upgrade keeps the identity; uninstall --purge removes files, unit, user and state.
id_before=$(sha256sum "$ROOT/var/lib/socnoc-agent/identity.json" | cut -d' ' -f1)
out=$(in_root sh "$PKG/install/install.sh" upgrade 2>&1) || fail "install.sh upgrade: $out"
[ "$(sha256sum "$ROOT/var/lib/socnoc-agent/identity.json" | cut -d' ' -f1)" = "$id_before" ] || fail "upgrade changed the identity"
say "upgrade: $(echo "$out" | tail -n 1)"
out=$(in_root sh "$PKG/install/install.sh" uninstall --purge 2>&1) || fail "install.sh uninstall: $out"
for gone in /opt/socnoc-agent /var/lib/socnoc-agent /etc/systemd/system/socnoc-agent.service /etc/systemd/system/multi-user.target.wants/socnoc-agent.service; do
  [ ! -e "$ROOT$gone" ] || fail "uninstall --purge left $gone"
done
if in_root getent passwd socnoc-agent >/dev/null; then fail "uninstall --purge left the socnoc-agent user"; fi
say "uninstall --purge: files, unit, state and user removed"
say "PASSED in $(($(date +%s) - started)) s"
