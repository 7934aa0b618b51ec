#!/bin/sh
# Told only about FATAL programs: asks supervisord to shut down, as an operator would.
while :; do
  printf 'READY\n'
  read -r header || exit 0
  len=$(printf '%s\n' "$header" | sed -n 's/.*len:\([0-9]*\).*/\1/p')
  payload=$(head -c "$len")
  echo "listener: $payload is FATAL, shutting supervisord down" >&2
  supervisorctl -c /etc/supervisor/supervisord.conf shutdown >&2 &
  printf 'RESULT 2\nOK'
done
