#!/bin/sh
echo "entrypoint: starting the server"
while true; do
  node server.js
  echo "entrypoint: the server stopped, starting it again"
done
