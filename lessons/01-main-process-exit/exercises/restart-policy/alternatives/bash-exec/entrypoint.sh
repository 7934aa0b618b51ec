#!/bin/bash
set -e
echo "entrypoint: starting the server"
exec node server.js
