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
  echo $! >"$dir/pid"
  wait_port "$port" 30 || { cat "$dir/influxd.log" >&2; return 1; }
  export AIFACTORY_TEST_INFLUXDB="http://127.0.0.1:$port"
  log "InfluxDB on 127.0.0.1:$port"
}

influxdb_stop() {
  local pidfile="$AIFACTORY_TEST_TMP/influxdb/pid"
  [ -f "$pidfile" ] || return 0
  kill "$(cat "$pidfile")" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do kill -0 "$(cat "$pidfile")" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
}
