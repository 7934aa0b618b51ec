#!/bin/sh
# An event listener for supervisord, not yet used by supervisord.conf. The protocol: the listener
# writes READY, reads one event (a header line, then a payload of the length the header gives) and
# answers RESULT 2 / OK, again and again. supervisord sends it only the events its
# [eventlistener:...] section subscribes to (events=...). stdout belongs to the protocol: log to stderr.
while :; do
  printf 'READY\n'
  read -r header || exit 0
  len=$(printf '%s\n' "$header" | sed -n 's/.*len:\([0-9]*\).*/\1/p')
  payload=$(head -c "$len")
  echo "listener: $header | $payload" >&2
  printf 'RESULT 2\nOK'
done
