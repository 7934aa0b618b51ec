// An HTTP server that can be told to crash: with CRASH_AFTER_MS set, it fails that many
// milliseconds after starting and exits with code 3. It exits 0 on SIGTERM.
const http = require('http');

const port = Number(process.env.PORT || 8080);
const server = http.createServer((req, res) => res.end('ok\n'));

server.listen(port, () => console.log(`server listening on port ${port} as PID ${process.pid}`));

if (process.env.CRASH_AFTER_MS) {
  setTimeout(() => {
    console.error('server: lost its database connection, exiting with code 3');
    process.exit(3);
  }, Number(process.env.CRASH_AFTER_MS));
}

process.on('SIGTERM', () => {
  console.log('server: SIGTERM received, closing');
  server.close(() => process.exit(0));
});
