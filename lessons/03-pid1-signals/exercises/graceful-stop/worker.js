// A worker that finishes a job every half second. It has no SIGTERM handler.
let job = 0;
console.log(`worker started as PID ${process.pid}`);
setInterval(() => console.log(`worker: finished job ${++job}`), 500);
