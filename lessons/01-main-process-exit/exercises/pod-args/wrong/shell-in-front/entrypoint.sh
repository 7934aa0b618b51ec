#!/bin/sh
echo "entrypoint: starting the server"
node server.js "$@"
