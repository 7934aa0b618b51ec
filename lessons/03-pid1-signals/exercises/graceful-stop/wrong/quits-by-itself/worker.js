let job = 0;
console.log(`worker started as PID ${process.pid}`);
setInterval(() => console.log(`worker: finished job ${++job}`), 500);
setTimeout(() => { console.log('shutting down'); process.exit(0); }, 1700);
