// myapp: one copy per port, and the port is the lock. A second copy cannot bind it, and the kernel
// frees it the moment the process dies, crash or not: nothing is left behind to go stale.
const http = require('http');

const port = Number(process.env.PORT || 8080);

const server = http.createServer((req, res) => {
  console.log(`myapp: GET ${req.url}`);
  if (req.url !== '/crash') return res.end('hello from myapp\n');
  const code = Number(process.env.CRASH_CODE || 70);
  console.error(`myapp: unhandled error in a request, exiting with code ${code}`);
  res.statusCode = 500;
  res.end('internal error\n');
  setTimeout(() => process.exit(code), 300);
});

server.on('error', (error) => {
  console.error(`myapp: cannot listen on port ${port} (${error.code}): is another copy running?`);
  process.exit(1);
});
server.listen(port, () => console.log(`myapp listening on port ${port} as PID ${process.pid}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`myapp: ${signal} received, shutting down`);
    server.close(() => process.exit(0));
  });
}
