// A small HTTP server. It logs one line when it starts and exits with code 0 when it
// receives SIGTERM, which is what `docker stop` sends to the container's PID 1.
const http = require('http');

const port = Number(process.env.PORT || 8080);

const server = http.createServer((req, res) => {
  res.end(`hello from PID ${process.pid}\n`);
});

server.listen(port, () => {
  console.error(`server listening on port ${port} as PID ${process.pid}`);
});

process.on('SIGTERM', () => {
  console.error('received SIGTERM, closing the server');
  server.close(() => process.exit(0));
});
