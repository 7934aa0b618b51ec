#!/bin/sh
echo "entrypoint: starting the server"
node server.js || node -e 'require("/app/server.js")'
exit $?
