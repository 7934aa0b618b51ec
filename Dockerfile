# The lab server as an image, following its own lessons: the server is the container's main process
# (exec-form CMD: node itself, no shell in between), in the foreground, logging to stdout, writing no
# PID file, and it shuts down cleanly on SIGTERM (docker stop): it stops taking requests, removes the
# containers of its runs and exits 0. It drives the host's Docker engine: see compose.yaml and
# "Running a workshop" in README.md for the mounts it needs.
#
#   docker build -t docker-lifecycle-lab .
#   docker build --build-arg NODE_IMAGE=<any Node.js 20 image on Debian 12> -t docker-lifecycle-lab .

# Node.js 20 on Debian 12 (Next.js 16 needs Node >= 20.9): the official image unless told otherwise.
# Where no registry answers, `npm run verify-deploy` makes a stand-in (deploy/node-base/).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles itself where its prebuilt binary cannot be downloaded: it needs a compiler
# and Node's headers, which Node images keep under /usr/local.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY scripts/ensure-npm-dependencies.mjs scripts/hash-files.mjs scripts/setup-common.mjs scripts/
# The setup's own install step (npm ci, the lock kept as it is), so that the start finds it done.
RUN node -e "import('./scripts/ensure-npm-dependencies.mjs').then((npm) => npm.ensureNpmDependencies())"
COPY . .
# The Prisma clients (generated here, nothing downloaded) and the web build, stamped with its sources
# so that the start finds it current. (npm prune --omit=dev removed nothing here: it was tried.)
RUN node -e "import('./scripts/database.mjs').then((db) => db.ensurePrismaClient())" \
 && node -e "import('./scripts/next-build.mjs').then((web) => web.ensureNextBuild())" \
 && rm -rf .next/cache

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 DOCKER_HOST=unix:///var/run/docker.sock
COPY --from=build /app /app
EXPOSE 3000
# What `npm start` runs (npm itself would only sit between Docker and the server): the setup of what
# lives outside the image (the database's migrations; the base and lab images on the host's engine,
# built once there), then the server in this same process.
CMD ["node", "scripts/start.mjs"]
