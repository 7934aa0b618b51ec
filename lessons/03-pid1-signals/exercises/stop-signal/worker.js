// A queue worker that shuts down the way nginx does. Each job takes a second and is written in two
// halves. SIGQUIT is its graceful shutdown: it finishes the job in hand, logs it, and exits 0.
// SIGTERM is its fast shutdown: it drops the job half written and exits 1. It is a program you run,
// not one you change: tell Docker which signal stops it.
const JOB_MS = 1000;
let job = 0;
let stopping = false;

function work() {
  job++;
  console.log(`worker: job ${job} started, first half written`);
  setTimeout(() => {
    console.log(`worker: job ${job} done, second half written`);
    if (stopping) {
      console.log(`worker: graceful shutdown complete after job ${job}`);
      process.exit(0);
    }
    work();
  }, JOB_MS);
}

process.on('SIGQUIT', () => {
  console.log(`worker: SIGQUIT received, graceful shutdown: finishing job ${job}`);
  stopping = true;
});
process.on('SIGTERM', () => {
  console.log(`worker: SIGTERM received, fast shutdown: job ${job} dropped half written`);
  process.exit(1);
});

console.log(`worker started as PID ${process.pid}`);
work();
