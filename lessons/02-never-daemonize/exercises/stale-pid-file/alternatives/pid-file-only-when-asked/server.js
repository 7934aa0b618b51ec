// myapp: an HTTP service that keeps a PID file only where one is asked for. GET /crash stands for
// a bug: the service answers 500 and exits with the code in CRASH_CODE.
const fs = require('fs');
const http = require('http');

// A PID file only when asked for (PID_FILE=...), for hosts whose init scripts still want one; a
// container sets none: Docker knows the PID.
const PID_FILE = process.env.PID_FILE;
const port = Number(process.env.PORT || 8080);

if (PID_FILE && fs.existsSync(PID_FILE)) {
  const pid = fs.readFileSync(PID_FILE, 'utf8').trim();
  console.error(`myapp: ${PID_FILE} says PID ${pid} is already running, refusing to start`);
  process.exit(1);
}
if (PID_FILE) fs.writeFileSync(PID_FILE, `${process.pid}\n`);

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
  if (PID_FILE) fs.rmSync(PID_FILE, { force: true });
  server.close(() => process.exit(0));
});
