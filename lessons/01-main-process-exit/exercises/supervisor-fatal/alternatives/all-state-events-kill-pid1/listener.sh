#!/bin/sh
# Subscribed to every PROCESS_STATE event; only FATAL (supervisord gave up on a program) ends the
# container: supervisord is PID 1, and SIGTERM makes it stop its programs and exit.
while :; do
  echo READY
  IFS= read -r header || exit 0
  len=${header##*len:}
  payload=$(head -c "$len")
  case "$header" in
    *PROCESS_STATE_FATAL*) echo "listener: FATAL: $payload" >&2; kill -TERM 1 ;;
  esac
  printf 'RESULT 2\nOK'
done
