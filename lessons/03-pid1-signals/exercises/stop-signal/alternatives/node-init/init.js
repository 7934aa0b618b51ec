// A small init of my own as PID 1: runs the command given to it, hands every stop signal to it as it
// came, and leaves with the command's own exit status once it is done.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: 'inherit' });
for (const name of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP']) process.on(name, () => child.kill(name));
child.on('exit', (code, signal) => process.exit(signal ? 128 + constants.signals[signal] : code));
