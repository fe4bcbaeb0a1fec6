#!/bin/sh
# socnoc-agent installer for Debian/Ubuntu and RHEL-family hosts (systemd).
#   install.sh install --server https://SOC:8443 --token TOKEN [--isolation]
#   install.sh upgrade            (new files in place, identity and queue kept)
#   install.sh uninstall [--purge] (--purge also deletes identity, queue and checkpoints)
# Run from an unpacked agent package (this folder's parent holds dist/ and package.json).
set -eu

PREFIX=/opt/socnoc-agent
HOME_DIR=/var/lib/socnoc-agent
UNIT=/etc/systemd/system/socnoc-agent.service
SRC=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "socnoc-agent install: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"
command -v systemctl >/dev/null || die "systemd is required"

# systemd is PID 1 (sd_booted): in a chroot, a container without systemd or an image being built
# it is not, and the unit can only be installed and enabled for the next boot.
systemd_running() { [ -d /run/systemd/system ]; }

node_ok() { command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; }

# Major version of nodejs apt would install (empty when it offers none).
apt_nodejs_major() { apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*\).*/\1/p' | head -n 1; }

need_node() {
  node_ok && return
  if command -v apt-get >/dev/null; then
    # Debian 12 and Ubuntu 22.04 carry Node 18; installing it would only fail the check below.
    major=$(apt_nodejs_major); major=${major:-0}
    [ "$major" -ge 20 ] 2>/dev/null || die "Node.js 20 or later is required and apt offers nodejs ${major}; install Node 20 (NodeSource's packages, or the official Linux binaries unpacked under /usr/local) and run this again"
    apt-get install -y nodejs
  elif command -v dnf >/dev/null; then
    # RHEL/Rocky 8 and 9 ship Node 20 as a module stream.
    dnf module install -y nodejs:20 || dnf install -y nodejs
  elif command -v yum >/dev/null; then yum install -y nodejs
  fi
  node_ok || die "Node.js 20 or later is required (node on PATH: $(command -v node || echo none))"
}

copy_files() {
  mkdir -p "$PREFIX"
  rm -rf "$PREFIX/dist.new"
  cp -R "$SRC/dist" "$PREFIX/dist.new"
  if [ -d "$SRC/node_modules" ]; then cp -R "$SRC/node_modules" "$PREFIX/"; fi
  cp "$SRC/package.json" "$PREFIX/"
  rm -rf "$PREFIX/dist.old"
  [ -d "$PREFIX/dist" ] && mv "$PREFIX/dist" "$PREFIX/dist.old"
  mv "$PREFIX/dist.new" "$PREFIX/dist"
  rm -rf "$PREFIX/dist.old"
  chown -R root:root "$PREFIX"
}

install_unit() {
  cp "$SRC/install/socnoc-agent.service" "$UNIT"
  # The unit names /usr/bin/node; Node installed elsewhere (/usr/local/bin from a tarball) is run where it is.
  node_bin=$(command -v node)
  [ "$node_bin" = /usr/bin/node ] || sed -i "s|^ExecStart=/usr/bin/node |ExecStart=$node_bin |" "$UNIT"
  if [ "$1" = yes ]; then
    # Isolation (nftables) needs CAP_NET_ADMIN; only granted when asked for.
    sed -i 's/^AmbientCapabilities=.*/AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_NET_ADMIN/; s/^CapabilityBoundingSet=.*/CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_NET_ADMIN/' "$UNIT"
  fi
  if systemd_running; then systemctl daemon-reload; fi
}

# Enables the unit; starts (or restarts) it now only where systemd runs, else says how it will start.
start_unit() {
  if systemd_running; then
    systemctl enable "$1" socnoc-agent
    return
  fi
  systemctl enable socnoc-agent
  exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
  echo "systemd is not running here (chroot or container): socnoc-agent.service is installed and enabled and starts at the next boot."
  echo "To run the agent now without systemd: runuser -u socnoc-agent -- env SOCNOC_AGENT_HOME=$HOME_DIR $exec_start"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  install)
    SERVER='' TOKEN='' ISOLATION=no
    while [ $# -gt 0 ]; do
      case "$1" in
        --server) SERVER=$2; shift 2 ;;
        --token) TOKEN=$2; shift 2 ;;
        --isolation) ISOLATION=yes; shift ;;
        *) die "unknown option $1" ;;
      esac
    done
    if [ -z "$SERVER" ] || [ -z "$TOKEN" ]; then die "install needs --server URL --token TOKEN"; fi
    need_node
    getent group socnoc-agent >/dev/null || groupadd --system socnoc-agent
    getent passwd socnoc-agent >/dev/null || useradd --system --gid socnoc-agent --home-dir "$HOME_DIR" --shell /usr/sbin/nologin socnoc-agent
    # Debian's adm group and RHEL's root-owned /var/log/secure: CAP_DAC_READ_SEARCH covers both.
    copy_files
    mkdir -p "$HOME_DIR"; chown socnoc-agent:socnoc-agent "$HOME_DIR"; chmod 700 "$HOME_DIR"
    install_unit "$ISOLATION"
    runuser -u socnoc-agent -- env SOCNOC_AGENT_HOME="$HOME_DIR" node "$PREFIX/dist/cli.js" enroll --server "$SERVER" --token "$TOKEN"
    start_unit --now
    if systemd_running; then echo "socnoc-agent installed and running; status: systemctl status socnoc-agent"; fi
    ;;
  upgrade)
    need_node
    copy_files
    grep -q CAP_NET_ADMIN "$UNIT" 2>/dev/null && iso=yes || iso=no
    install_unit "$iso"
    if systemd_running; then systemctl restart socnoc-agent; else start_unit; fi
    echo "socnoc-agent upgraded; identity and queue kept in $HOME_DIR"
    ;;
  uninstall)
    if systemd_running; then systemctl disable --now socnoc-agent 2>/dev/null || true; else systemctl disable socnoc-agent 2>/dev/null || true; fi
    if command -v nft >/dev/null; then nft delete table inet socnoc_isolation 2>/dev/null || true; fi
    rm -f "$HOME_DIR/isolation.json"  # else a reinstall would isolate the host again at start
    rm -f "$UNIT"
    if systemd_running; then systemctl daemon-reload; fi
    rm -rf "$PREFIX"
    if [ "${1:-}" = --purge ]; then rm -rf "$HOME_DIR"; userdel socnoc-agent 2>/dev/null || echo "user socnoc-agent not removed (a process of it still running?): userdel socnoc-agent" >&2; fi
    echo "socnoc-agent removed; revoke it on the server (POST /api/v1/agents/ID/revoke)"
    ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac
