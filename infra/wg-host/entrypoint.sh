#!/bin/sh
# WireGuard test host: wireguard-go interface with a persistent key, the pool's first address and a
# listen port; the provisioner's public key authorized for root; sshd in the foreground.
#   WG_INTERFACE (wg0)  WG_ADDRESS (10.8.0.1/24: the first host of the server's addressPool)
#   WG_LISTEN_PORT (51820)  PROVISIONER_PUBLIC_KEY_FILE (a secret) or PROVISIONER_PUBLIC_KEY (the line)
#   WG_NAT=1 masquerades tunnel traffic out of eth0 (clients reach the internet through the host).
set -eu
ifname="${WG_INTERFACE:-wg0}"
state=/etc/wireguard

# 1. Authorize the provisioner (GET /api/admin/ssh-key prints the same line).
key="${PROVISIONER_PUBLIC_KEY:-}"
if [ -z "$key" ] && [ -r "${PROVISIONER_PUBLIC_KEY_FILE:-}" ]; then key=$(cat "$PROVISIONER_PUBLIC_KEY_FILE"); fi
if [ -z "$key" ]; then
  echo "wg-host: no provisioner key (PROVISIONER_PUBLIC_KEY_FILE=${PROVISIONER_PUBLIC_KEY_FILE:-} unreadable, PROVISIONER_PUBLIC_KEY empty)" >&2
  exit 1
fi
install -d -m 700 /root/.ssh
printf '%s\n' "$key" > /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys

# 2. Keys that survive restarts: the WireGuard private key and the SSH host key (pinned by the
#    control plane at registration; a new one would be refused as HOST_KEY_MISMATCH).
umask 077
[ -s "$state/$ifname.key" ] || wg genkey > "$state/$ifname.key"
install -d -m 700 "$state/ssh"
[ -s "$state/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$state/ssh/ssh_host_ed25519_key"

# 3. The interface: userspace wireguard-go (no kernel module in most container hosts).
mkdir -p /var/run/wireguard /run/sshd
rm -f "/var/run/wireguard/$ifname.sock"
ip link del "$ifname" 2>/dev/null || true
WG_PROCESS_FOREGROUND=1 LOG_LEVEL=error wireguard-go -f "$ifname" &
wg_pid=$!
i=0
until [ -S "/var/run/wireguard/$ifname.sock" ]; do
  i=$((i + 1))
  if [ "$i" -gt 100 ] || ! kill -0 "$wg_pid" 2>/dev/null; then echo "wg-host: wireguard-go did not start" >&2; exit 1; fi
  sleep 0.05
done
wg set "$ifname" private-key "$state/$ifname.key" listen-port "${WG_LISTEN_PORT:-51820}"
ip address add "${WG_ADDRESS:-10.8.0.1/24}" dev "$ifname"
ip link set "$ifname" up
if [ "${WG_NAT:-0}" = 1 ]; then
  iptables -t nat -A POSTROUTING -s "${WG_ADDRESS:-10.8.0.1/24}" -o eth0 -j MASQUERADE || echo "wg-host: NAT not set up" >&2
fi
echo "wg-host: $ifname up, public key $(wg show "$ifname" public-key), listen port $(wg show "$ifname" listen-port)"
echo "wg-host: SSH host key $(ssh-keygen -l -f "$state/ssh/ssh_host_ed25519_key.pub")"

# 4. sshd in the foreground; a signal stops both daemons.
/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config &
sshd_pid=$!
stop() { kill "$sshd_pid" "$wg_pid" 2>/dev/null || true; }
trap stop TERM INT
# Whichever exits first ends the container (compose restarts it; sync then restores the peers).
while kill -0 "$sshd_pid" 2>/dev/null && kill -0 "$wg_pid" 2>/dev/null; do sleep 1; done
stop
wait 2>/dev/null || true
