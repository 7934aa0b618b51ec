// An HTTP server that can be told to crash: with CRASH_AFTER_MS set, it fails that many
// milliseconds after starting, with an exit code it picks at random each time (or CRASH_CODE, when
// set) and says in its last line. With EXIT_AFTER_MS set, it finishes its work and exits 0 by
// itself. It exits 0 on SIGTERM.
const http = require('http');

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => res.end('ok\n'));

server.listen(port, () => console.log(`server listening on port ${port} as PID ${process.pid}`));

if (process.env.CRASH_AFTER_MS) {
  // 2 to 120: not 0 or 1, and none of the codes a shell gives meanings of its own (126, 127, 128+n).
  const code = Number(process.env.CRASH_CODE || 2 + Math.floor(Math.random() * 119));
  setTimeout(() => {
    console.error(`server: lost its database connection, exiting with code ${code}`);
    process.exit(code);
  }, Number(process.env.CRASH_AFTER_MS));
}

if (process.env.EXIT_AFTER_MS) {
  setTimeout(() => {
    console.log('server: work done, exiting');
    server.close(() => process.exit(0));
  }, Number(process.env.EXIT_AFTER_MS));
}

process.on('SIGTERM', () => {
  console.log('server: SIGTERM received, closing');
  server.close(() => process.exit(0));
});
