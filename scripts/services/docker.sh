#!/usr/bin/env bash
# The Docker engine for docker-build-push's end-to-end tests and benchmark, plus an offline base
# image (`conveyor/busybox:offline`, imported from Debian's busybox-static, since Docker Hub is not
# reachable). Usage: scripts/services/docker.sh start. Idempotent and quick when already running.
# The engine runs without iptables or a bridge (build RUN steps use the host network); its log is
# /var/log/conveyor-dockerd.log.
set -euo pipefail

BASE_IMAGE=conveyor/busybox:offline
LOG=/var/log/conveyor-dockerd.log

start_engine() {
  docker info >/dev/null 2>&1 && return 0
  # A pid file left by an engine that died (a killed container, a reboot) stops dockerd from starting.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then rm -f /var/run/docker.pid; fi
  echo "Starting dockerd (log: $LOG)"
  nohup dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs >"$LOG" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not start within 60 s; last log lines:" >&2
  tail -n 20 "$LOG" >&2
  exit 1
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
  *)
    echo "usage: $0 start" >&2
    exit 2
    ;;
esac
