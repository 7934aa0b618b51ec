#!/bin/sh
# An event listener for supervisord, subscribed to PROCESS_STATE_FATAL: when supervisord gives up on
# a program, the app is dead, so it ends supervisord (its parent) and the container with it. The
# protocol: write READY, read a header line and a payload of the length it gives, answer RESULT 2 / OK.
# stdout belongs to the protocol: log to stderr.
while :; do
  printf 'READY\n'
  read -r header || exit 0
  len=$(printf '%s\n' "$header" | sed -n 's/.*len:\([0-9]*\).*/\1/p')
  payload=$(head -c "$len")
  case "$header" in
    *eventname:PROCESS_STATE_FATAL*)
      echo "listener: supervisord gave up ($payload); stopping it" >&2
      kill -KILL 1
      ;;
  esac
  printf 'RESULT 2\nOK'
done
