#!/bin/sh
echo "entrypoint: starting the server"
node server.js
exit ${CRASH_CODE:-0}
