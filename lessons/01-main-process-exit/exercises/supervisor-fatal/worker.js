// A background worker: takes a job every second and logs it. Exits 0 on SIGTERM.
let job = 0;
console.log(`worker started as PID ${process.pid}`);
const timer = setInterval(() => console.log(`worker: processed job ${++job}`), 1000);

process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('worker: SIGTERM received, exiting');
  process.exit(0);
});
