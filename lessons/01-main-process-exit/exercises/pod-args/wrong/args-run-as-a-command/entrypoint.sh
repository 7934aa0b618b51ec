#!/bin/sh
echo "entrypoint: starting the server"
exec "$@"
