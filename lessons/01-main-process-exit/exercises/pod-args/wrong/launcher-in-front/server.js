// A launcher: the entrypoint's exec hands PID 1 to node server.js with the operator's args, but this
// server.js only copies itself away and runs the real server as a child (node /tmp/srv.js <args>),
// passing SIGTERM on. PID 1 and its args read right; the server is not PID 1.
const http = require('http');

if (process.env.ROLE === 'srv') {
  let port = 8080;
  const args = process.argv.slice(2);
  if (args[0] === '--port') port = Number(args[1]);
  const server = http.createServer((req, res) => res.end(`hello from port ${port}\n`));
  server.listen(port, () => console.log(`server listening on port ${port} as PID ${process.pid}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  require('fs').copyFileSync(__filename, '/tmp/srv.js');
  const child = require('child_process').spawn(process.execPath, ['/tmp/srv.js', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ROLE: 'srv' },
  });
  child.on('exit', (code) => process.exit(code === null ? 0 : code));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
}
