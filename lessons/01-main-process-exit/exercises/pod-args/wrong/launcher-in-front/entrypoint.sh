#!/bin/sh
echo "entrypoint: starting the server"
exec node server.js "$@"
