# Sourced by the scripts that start local servers: port=$(free_port)

# A port for a local server: below the kernel's ephemeral range (32768 and up by default), where
# an outgoing connection or one in TIME-WAIT can take a port between our choice and named's bind
# (named then serves UDP only: "creating TCP socket: address in use"); and, where `ss` is
# installed, free for TCP and UDP right now.
free_port() {
  local port i
  for i in $(seq 1 50); do
    port=$(( (RANDOM % 12000) + 20000 ))
    if ! command -v ss > /dev/null || [[ -z $(ss -Htuan "( sport = :$port )" 2>/dev/null) ]]; then
      echo "$port"; return 0
    fi
  done
  echo "no free port found in 20000-31999" >&2
  return 1
}
