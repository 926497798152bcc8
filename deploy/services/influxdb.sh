# InfluxDB 1.x (Debian) for the hub's time-series tests: one server for the run, every file in
# $AIFACTORY_TEST_TMP, HTTP on a free 127.0.0.1 port, every other listener off. Tests read AIFACTORY_TEST_INFLUXDB.
APT_PACKAGES+=(influxdb)
SERVICES+=(influxdb)

influxdb_start() {
  local dir="$AIFACTORY_TEST_TMP/influxdb" port rpc
  port=$(free_port)
  rpc=$(free_port)
  mkdir -p "$dir"
  cat >"$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$port"
  log-enabled = false
  pprof-enabled = false
[ifql]
  enabled = false
[continuous_queries]
  enabled = false
CONF
  influxd run -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 &
  local pid=$! i
  echo "$pid" >"$dir/pid"
  # Ready = /ping answers 204 (plain bash, no curl); give up at once if influxd exits, or after 30 s.
  for ((i = 0; ; i++)); do
    influxdb_ping "$port" && break
    if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 300 ]; then
      log "InfluxDB did not answer /ping on 127.0.0.1:$port"
      cat "$dir/influxd.log" >&2
      influxdb_stop
      return 1
    fi
    sleep 0.1
  done
  export AIFACTORY_TEST_INFLUXDB="http://127.0.0.1:$port"
  log "InfluxDB on 127.0.0.1:$port"
}

influxdb_stop() {
  local pidfile="$AIFACTORY_TEST_TMP/influxdb/pid" pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# True when InfluxDB on 127.0.0.1:$1 answers GET /ping with 204.
influxdb_ping() {
  local status
  {
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    read -r -t 2 status <&3 || status=""
    exec 3>&-
  } 2>/dev/null
  [[ "$status" == "HTTP/1."?" 204"* ]]
}
