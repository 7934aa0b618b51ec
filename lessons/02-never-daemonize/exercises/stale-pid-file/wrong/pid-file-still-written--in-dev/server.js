// myapp: an HTTP service that keeps a PID file, the way init scripts expected, and refuses to start
// while the file exists so that two copies never run at once. GET /crash stands for a bug: the
// service answers 500 and exits with the code in CRASH_CODE.
const fs = require('fs');
const http = require('http');

const PID_FILE = '/dev/myapp.pid';
const port = Number(process.env.PORT || 8080);

if (fs.existsSync(PID_FILE)) {
  const pid = fs.readFileSync(PID_FILE, 'utf8').trim();
  console.error(`myapp: ${PID_FILE} says PID ${pid} is already running, refusing to start`);
  process.exit(1);
}
fs.writeFileSync(PID_FILE, `${process.pid}\n`);

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
  fs.rmSync(PID_FILE, { force: true });
  server.close(() => process.exit(0));
});
