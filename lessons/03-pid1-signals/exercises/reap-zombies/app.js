// A report service: every half second it runs a job through a shell. The job's command starts a
// helper in the background (`&`) and returns at once, as many real tools do. The app waits for the
// shell it started, but the helper outlives that shell and is handed to PID 1 of the container.
// JOBS=off leaves the app idle (it keeps running). On SIGTERM it exits with the code in STOP_CODE.
const { spawn } = require('child_process');

const stopCode = Number(process.env.STOP_CODE || 0);
let job = 0;
console.log(`app started as PID ${process.pid}`);

const timer = setInterval(() => {
  if (process.env.JOBS === 'off') return;
  job += 1;
  spawn('sh', ['-c', `sleep 0.2 & echo "job ${job}: helper started"`], { stdio: 'inherit' });
}, 500);

process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`app: SIGTERM received, exiting with code ${stopCode}`);
  process.exit(stopCode);
});
