#!/bin/sh
set -e
echo "entrypoint: starting the server"
node server.js
