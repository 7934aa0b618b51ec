// myapp: an HTTP service that leaves its lifecycle to Docker. No PID file: Docker knows the PID of
// the container's main process, and starts one copy per container. GET /crash stands for a bug: the
// service answers 500 and exits with the code in CRASH_CODE.
const http = require('http');

const port = Number(process.env.PORT || 8080);

const server = http.createServer((req, res) => {
  console.log(`myapp: GET ${req.url}`);
  if (req.url === '/crash') {
    const code = Number(process.env.CRASH_CODE || 70);
    console.error(`myapp: unhandled error in a request, exiting with code ${code}`);
    res.statusCode = 500;
    res.end('internal error\n');
    setTimeout(() => process.exit(code), 300);
    return;
  }
  res.end('hello from myapp\n');
});

server.listen(port, () => console.log(`myapp listening on port ${port} as PID ${process.pid}`));

process.on('SIGTERM', () => {
  console.log('myapp: SIGTERM received, shutting down');
  server.close(() => process.exit(0));
});
