// Next.js configuration. The app is served by server.ts (a custom server in front of Next.js).
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Run events stream as Server-Sent Events: compression would hold them back in buffers.
  compress: false,
  // dockerode and its native optional dependencies stay out of the bundle; they run in Node only.
  serverExternalPackages: [
    'dockerode',
    'ssh2',
    'cpu-features',
    'tar-stream',
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    'pg',
    '@prisma/adapter-pg',
  ],
  // `npm test` type-checks the whole project (tests included) with tsc; the build need not do it again.
  typescript: { tsconfigPath: './tsconfig.json', ignoreBuildErrors: true },
};

export default nextConfig;
