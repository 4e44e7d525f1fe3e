#!/usr/bin/env bash
# The Docker engine for docker-build-push's end-to-end tests and benchmark, plus an offline base
# image (`conveyor/busybox:offline`, imported from Debian's busybox-static, since Docker Hub is not
# reachable). Usage: scripts/services/docker.sh start|stop. Start is idempotent and quick when the
# engine already runs; stop ends the engine named by dockerd's pid file (the demo stops an engine it
# started). The engine runs without iptables or a bridge (build RUN steps use the host network); its
# log is /var/log/conveyor-dockerd.log.
set -euo pipefail

BASE_IMAGE=conveyor/busybox:offline
LOG=/var/log/conveyor-dockerd.log
# dockerd's default pid file; CONVEYOR_DOCKERD_PIDFILE names another (the stop test uses a stand-in process).
PIDFILE=${CONVEYOR_DOCKERD_PIDFILE:-/var/run/docker.pid}

start_engine() {
  docker info >/dev/null 2>&1 && return 0
  # A pid file left by an engine that died (a killed container, a reboot) stops dockerd from starting.
  if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi
  echo "Starting dockerd (log: $LOG)"
  nohup dockerd --pidfile="$PIDFILE" --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs >"$LOG" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not start within 60 s; last log lines:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
}

stop_engine() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    echo "Stopping dockerd ($pid)"
    kill -TERM "$pid"
    # dockerd stops its containers and its containerd before it exits.
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "dockerd ($pid) did not stop within 30 s" >&2
      exit 1
    fi
  fi
  rm -f "$PIDFILE"
}

import_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  local rootfs
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh ls cat echo mkdir cp rm date true false env; do ln -s busybox "$rootfs/bin/$applet"; done
  echo "Importing $BASE_IMAGE"
  tar -C "$rootfs" -c . | docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

case "${1:-}" in
  start)
    start_engine
    import_base_image
    ;;
  stop)
    stop_engine
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
