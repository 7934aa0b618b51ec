#!/bin/sh
# After a crash the server is run a second time with its output thrown away, then the first crash's
# code is reported: docker logs shows one start, the process tree shows two.
echo "entrypoint: starting the server"
node server.js
status=$?
if [ "$status" -ne 0 ]; then
  node server.js >/dev/null 2>&1
fi
exit "$status"
