# PostgreSQL for the hub's tests: one server for the whole run, in $AIFACTORY_TEST_TMP, on 127.0.0.1 only.
# Tests read AIFACTORY_TEST_POSTGRES (an Npgsql connection string for a superuser, so a fixture can create a
# database per test) and AIFACTORY_TEST_POSTGRES_CTL (a script taking stop|start|restart, for the restart test).
APT_PACKAGES+=(postgresql)
SERVICES+=(postgresql)

postgresql_start() {
  local bin dir port password runas=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir="$AIFACTORY_TEST_TMP/postgresql"
  port=$(free_port)
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -p "$dir/sock"
  printf '%s\n' "$password" >"$dir/pw"
  if [ "$(id -u)" -eq 0 ]; then
    # The server refuses to run as root: the Debian package's postgres user owns the data.
    chmod o+x "$AIFACTORY_TEST_TMP"
    chown -R postgres: "$dir"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -D "$dir/data" -U aifactory --pwfile="$dir/pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  cat >"$dir/ctl.sh" <<CTL
#!/usr/bin/env bash
# stop | start | restart the test PostgreSQL on 127.0.0.1:$port (same data directory, same port).
set -euo pipefail
pgctl() { ${runas[*]} "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" "\$@"; }
case "\${1:-}" in
  stop) pgctl -m fast -w stop ;;
  start) pgctl -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=200 -c fsync=on" start ;;
  restart) pgctl -m fast -w stop; pgctl -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=200 -c fsync=on" start ;;
  *) echo "usage: \$0 stop|start|restart" >&2; exit 2 ;;
esac
CTL
  chmod +x "$dir/ctl.sh"
  "$dir/ctl.sh" start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  wait_port "$port" 30
  export AIFACTORY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=aifactory;Password=$password;Database=postgres"
  export AIFACTORY_TEST_POSTGRES_CTL="$dir/ctl.sh"
  log "PostgreSQL on 127.0.0.1:$port"
}

postgresql_stop() {
  [ -x "$AIFACTORY_TEST_TMP/postgresql/ctl.sh" ] && "$AIFACTORY_TEST_TMP/postgresql/ctl.sh" stop >/dev/null 2>&1 || true
}
