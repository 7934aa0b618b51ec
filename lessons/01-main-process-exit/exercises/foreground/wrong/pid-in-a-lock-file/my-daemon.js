// my-daemon: a small service that can run the old Unix way or the container way.
//   node my-daemon.js --daemonize   fork a detached child that writes /var/run/my-daemon.pid and
//                                   appends its log to /var/log/my-daemon.log; the parent exits 0
//   node my-daemon.js --foreground  stay in the foreground, write no PID file, log to stdout
const fs = require('fs');
const { spawn } = require('child_process');

function work(log) {
  let tick = 0;
  log(`my-daemon running as PID ${process.pid}`);
  setInterval(() => log(`my-daemon tick ${++tick}`), 500);
}

const mode = process.argv[2];

if (mode === '--daemonize' && process.env.MY_DAEMON_DETACHED !== '1') {
  // The classic daemon: start a copy of ourselves detached from the terminal, then leave.
  const child = spawn(process.execPath, [__filename, '--daemonize'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, MY_DAEMON_DETACHED: '1' },
  });
  child.unref();
  console.log(`my-daemon: forked into the background as PID ${child.pid}`);
  process.exit(0);
} else if (mode === '--daemonize') {
  fs.writeFileSync('/var/run/my-daemon.pid', `${process.pid}\n`);
  const logFile = fs.openSync('/var/log/my-daemon.log', 'a');
  work((line) => fs.writeSync(logFile, `${new Date().toISOString()} ${line}\n`));
} else if (mode === '--foreground') {
  fs.writeFileSync('/var/run/my-daemon.lock', JSON.stringify({ pid: process.pid, started: Date.now() }) + '\n');
  work((line) => console.log(`${new Date().toISOString()} ${line}`));
  process.on('SIGTERM', () => {
    console.log('my-daemon: SIGTERM received, exiting');
    process.exit(0);
  });
} else {
  console.error('usage: node my-daemon.js --daemonize | --foreground');
  process.exit(64);
}
