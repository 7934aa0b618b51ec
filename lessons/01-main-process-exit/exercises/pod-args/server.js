// A small HTTP server that takes its settings from its arguments, as an operator gives them:
//   node server.js [--port N]     (8080 when no port is given)
// It says which port it listens on, answers every request with that port, and exits with code 0
// when it receives SIGTERM. An argument it does not know is an error: it exits with code 2.
const http = require('http');

let port = 8080;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--port' && /^\d+$/.test(args[i + 1] || '')) {
    port = Number(args[i + 1]);
    i += 1;
  } else {
    console.error(`unknown argument: ${args[i]} (usage: node server.js [--port N])`);
    process.exit(2);
  }
}

const server = http.createServer((req, res) => {
  res.end(`hello from port ${port}\n`);
});

server.listen(port, () => {
  console.log(`server listening on port ${port} as PID ${process.pid}`);
});

process.on('SIGTERM', () => {
  console.log('received SIGTERM, closing the server');
  server.close(() => process.exit(0));
});
