#!/bin/sh
# Get the environment ready, then start the server.
echo "entrypoint: starting the server"
node server.js
