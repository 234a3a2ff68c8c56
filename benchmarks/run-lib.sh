#!/usr/bin/env bash
# Helpers for benchmarks/run.sh, which sources this file. Each function may be called more than once.

# Installs wrk (Debian's package `wrk`), the native load generator that P2 uses to measure its loopback HTTP
# server's own ceiling. Does nothing when wrk is already on the PATH. Never fails the caller: without root,
# apt-get or the package, it says so, and P2 runs without its wrk row (its details say that too).
ensure_wrk() {
  if command -v wrk >/dev/null 2>&1; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_wrk: no apt-get here; P2 will run without wrk" >&2
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "ensure_wrk: not root and no sudo; P2 will run without wrk" >&2
      return 0
    fi
    sudo=(sudo -n)
  fi
  local log
  log="$(mktemp)"
  echo "ensure_wrk: installing wrk with apt-get" >&2
  if "${sudo[@]}" apt-get update -qq >"$log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends wrk >>"$log" 2>&1; then
    echo "ensure_wrk: installed $(command -v wrk)" >&2
  else
    echo "ensure_wrk: installing wrk failed; P2 will run without wrk. apt-get said:" >&2
    tail -n 20 "$log" >&2
  fi
  rm -f "$log"
  return 0
}
