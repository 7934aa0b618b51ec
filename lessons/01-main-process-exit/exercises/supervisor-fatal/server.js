// A small HTTP server that reads its port from settings.json each time it starts. When the file is
// not valid JSON it tries once more half a second later, then gives up and exits with code 78 (a
// configuration error). It exits with code 0 when it receives SIGTERM.
const fs = require('fs');
const http = require('http');
const path = require('path');

const file = path.join(__dirname, 'settings.json');

function readSettings() {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`server: cannot read ${file}: ${error.message}`);
    return undefined;
  }
}

function start(settings) {
  const server = http.createServer((req, res) => res.end(`hello from PID ${process.pid}\n`));
  server.listen(settings.port, () => console.log(`server listening on port ${settings.port} as PID ${process.pid}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

const settings = readSettings();
if (settings) start(settings);
else
  setTimeout(() => {
    const again = readSettings();
    if (again) return start(again);
    console.error('server: giving up, exiting with code 78');
    process.exit(78);
  }, 500);
