#!/bin/bash
set -euo pipefail
echo "entrypoint: starting the server with ${#} argument(s)" >&2
exec /usr/bin/node /app/server.js "$@"
