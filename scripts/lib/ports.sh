# Sourced by the scripts that start local servers: port=$(free_port)

# A port for a local server: below the kernel's ephemeral range (ip_local_port_range, 32768 and up
# by default), where an outgoing connection or one in TIME-WAIT can take a port between our choice
# and named's bind (named then serves UDP only: "creating TCP socket: address in use"); and, where
# `ss` is installed, free for TCP and UDP right now.
free_port() {
  local port i low=32768 span
  # Below the ephemeral range as this machine has it.
  read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  (( low > 12000 )) || low=32768
  span=$(( low - 10000 ))
  for i in $(seq 1 50); do
    port=$(( 10000 + (RANDOM * 32768 + RANDOM) % span ))
    if ! command -v ss > /dev/null || [[ -z $(ss -Htuan "( sport = :$port )" 2>/dev/null) ]]; then
      echo "$port"; return 0
    fi
  done
  echo "no free port found in 10000-$((low - 1))" >&2
  return 1
}
