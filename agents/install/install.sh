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

need_node() {
  if command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then return; fi
  if command -v apt-get >/dev/null; then apt-get install -y nodejs
  elif command -v dnf >/dev/null; then dnf module install -y nodejs:20 || dnf install -y nodejs
  elif command -v yum >/dev/null; then yum install -y nodejs
  fi
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "Node.js 20 or later is required"
}

copy_files() {
  mkdir -p "$PREFIX"
  rm -rf "$PREFIX/dist.new"
  cp -R "$SRC/dist" "$PREFIX/dist.new"
  [ -d "$SRC/node_modules" ] && cp -R "$SRC/node_modules" "$PREFIX/" || true
  cp "$SRC/package.json" "$PREFIX/"
  rm -rf "$PREFIX/dist.old"
  [ -d "$PREFIX/dist" ] && mv "$PREFIX/dist" "$PREFIX/dist.old"
  mv "$PREFIX/dist.new" "$PREFIX/dist"
  rm -rf "$PREFIX/dist.old"
  chown -R root:root "$PREFIX"
}

install_unit() {
  cp "$SRC/install/socnoc-agent.service" "$UNIT"
  if [ "$1" = yes ]; then
    # Isolation (nftables) needs CAP_NET_ADMIN; only granted when asked for.
    sed -i 's/^AmbientCapabilities=.*/AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_NET_ADMIN/; s/^CapabilityBoundingSet=.*/CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_NET_ADMIN/' "$UNIT"
  fi
  systemctl daemon-reload
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  install)
    SERVER= TOKEN= ISOLATION=no
    while [ $# -gt 0 ]; do
      case "$1" in
        --server) SERVER=$2; shift 2 ;;
        --token) TOKEN=$2; shift 2 ;;
        --isolation) ISOLATION=yes; shift ;;
        *) die "unknown option $1" ;;
      esac
    done
    [ -n "$SERVER" ] && [ -n "$TOKEN" ] || die "install needs --server URL --token TOKEN"
    need_node
    getent group socnoc-agent >/dev/null || groupadd --system socnoc-agent
    getent passwd socnoc-agent >/dev/null || useradd --system --gid socnoc-agent --home-dir "$HOME_DIR" --shell /usr/sbin/nologin socnoc-agent
    # Debian's adm group and RHEL's root-owned /var/log/secure: CAP_DAC_READ_SEARCH covers both.
    copy_files
    mkdir -p "$HOME_DIR"; chown socnoc-agent:socnoc-agent "$HOME_DIR"; chmod 700 "$HOME_DIR"
    install_unit "$ISOLATION"
    runuser -u socnoc-agent -- env SOCNOC_AGENT_HOME="$HOME_DIR" node "$PREFIX/dist/cli.js" enroll --server "$SERVER" --token "$TOKEN"
    systemctl enable --now socnoc-agent
    echo "socnoc-agent installed and running; status: systemctl status socnoc-agent"
    ;;
  upgrade)
    need_node
    copy_files
    grep -q CAP_NET_ADMIN "$UNIT" 2>/dev/null && iso=yes || iso=no
    install_unit "$iso"
    systemctl restart socnoc-agent
    echo "socnoc-agent upgraded; identity and queue kept in $HOME_DIR"
    ;;
  uninstall)
    systemctl disable --now socnoc-agent 2>/dev/null || true
    command -v nft >/dev/null && nft delete table inet socnoc_isolation 2>/dev/null || true
    rm -f "$HOME_DIR/isolation.json"  # else a reinstall would isolate the host again at start
    rm -f "$UNIT"; systemctl daemon-reload
    rm -rf "$PREFIX"
    if [ "${1:-}" = --purge ]; then rm -rf "$HOME_DIR"; userdel socnoc-agent 2>/dev/null || true; fi
    echo "socnoc-agent removed; revoke it on the server (POST /api/v1/agents/ID/revoke)"
    ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac
