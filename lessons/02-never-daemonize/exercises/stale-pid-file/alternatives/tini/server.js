// myapp without a PID file; tini is PID 1, passes signals to it and reports its exit code to Docker.
const http = require('http');

const port = Number(process.env.PORT || 8080);

function crash(res) {
  const code = Number(process.env.CRASH_CODE || 70);
  console.error(`myapp: unhandled error in a request, exiting with code ${code}`);
  res.statusCode = 500;
  res.end('internal error\n');
  setTimeout(() => process.exit(code), 300);
}

const server = http.createServer((req, res) => {
  console.log(`myapp: GET ${req.url}`);
  if (req.url === '/crash') crash(res);
  else res.end('hello from myapp\n');
});

server.listen(port, () => console.log(`myapp listening on port ${port} as PID ${process.pid}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
