#!/bin/sh
echo "entrypoint: starting the server"
node server.js || echo "entrypoint: the server stopped"
