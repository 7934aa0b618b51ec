// A worker that finishes a job every half second, and stops cleanly on SIGTERM.
let job = 0;
console.log(`worker started as PID ${process.pid}`);
const timer = setInterval(() => console.log(`worker: finished job ${++job}`), 500);

// PID 1 gets no default action for SIGTERM: without this handler, docker stop would wait out its
// timeout and then SIGKILL the worker.
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`worker: shutting down after ${job} jobs`);
  process.exit(0);
});
