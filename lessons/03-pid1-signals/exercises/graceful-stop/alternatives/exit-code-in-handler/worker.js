let job = 0;
console.log(`worker started as PID ${process.pid}`);
const timer = setInterval(() => console.log(`worker: finished job ${++job}`), 500);
process.once('SIGTERM', () => {
  console.log('worker: shutting down after the current job');
  clearInterval(timer);
  process.exitCode = 0;
});
