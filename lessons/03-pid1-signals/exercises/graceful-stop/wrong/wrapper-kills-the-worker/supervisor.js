// PID 1 runs the worker and, on docker stop's SIGTERM, kills it outright and says goodbye in its place.
const { spawn } = require('node:child_process');

const worker = spawn('node', ['worker.js'], { stdio: 'inherit' });
process.on('SIGTERM', () => {
  worker.kill('SIGKILL');
  console.log('worker: shutting down');
  process.exit(0);
});
