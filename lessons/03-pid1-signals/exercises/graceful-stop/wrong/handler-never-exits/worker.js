// A worker with a SIGTERM handler that logs, but never exits.
let job = 0;
console.log(`worker started as PID ${process.pid}`);
setInterval(() => console.log(`worker: finished job ${++job}`), 500);

process.on('SIGTERM', () => {
  console.log('worker: shutting down soon');
});
