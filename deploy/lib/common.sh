# Shared shell helpers for deploy/*.sh. Sourced, not run.

log() { printf '[aifactory] %s\n' "$*" >&2; }

# Installs the Debian packages that are not yet installed (root, or sudo when available).
ensure_apt() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  # Packages such as nginx, postgresql and influxdb start a system-wide server on install (nginx on every
  # interface's port 80): a policy-rc.d that says no keeps them stopped; the tests start their own on 127.0.0.1.
  local policy=/usr/sbin/policy-rc.d added="" status=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# added by AiFactory deploy/lib/common.sh while installing test packages\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    added=1
  fi
  $sudo apt-get update -qq || status=$?
  [ "$status" -eq 0 ] && { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?; }
  [ -z "$added" ] || $sudo rm -f "$policy"
  return "$status"
}

# Waits until a TCP port on 127.0.0.1 accepts connections, or fails after $2 seconds.
wait_port() {
  local port=$1 timeout=${2:-30} i
  for ((i = 0; i < timeout * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on 127.0.0.1:$port after ${timeout}s"
  return 1
}

# Prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Sources deploy/services/*.sh (each adds its Debian packages to APT_PACKAGES and may define <name>_start and
# <name>_stop, listing the name in SERVICES), installs the packages, and makes $AIFACTORY_TEST_TMP ($1 names it).
# Services started with start_services stop, in reverse order, when the script exits; the folder goes with them.
prepare_services() {
  APT_PACKAGES=()
  SERVICES=()
  local f
  for f in deploy/services/*.sh; do
    [ -e "$f" ] || continue
    # shellcheck source=/dev/null
    source "$f"
  done
  ensure_apt "${APT_PACKAGES[@]}"
  AIFACTORY_TEST_TMP=$(mktemp -d -t "$1.XXXXXX")
  export AIFACTORY_TEST_TMP
  AIFACTORY_STARTED=()
  trap stop_services EXIT
}

start_services() {
  local s
  for s in "$@"; do
    log "starting test service: $s"
    "${s}_start"
    AIFACTORY_STARTED+=("$s")
  done
}

stop_services() {
  local i
  for ((i = ${#AIFACTORY_STARTED[@]} - 1; i >= 0; i--)); do "${AIFACTORY_STARTED[$i]}_stop" || true; done
  rm -rf "$AIFACTORY_TEST_TMP"
}
