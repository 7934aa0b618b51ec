let job = 0;
console.log(`worker started as PID ${process.pid}`);
const timer = setInterval(() => console.log(`worker: finished job ${++job}`), 500);
process.on("SIGTERM", () => {
  console.log("SIGTERM received, shutting down");
  clearInterval(timer);
  process.exit(0);
});
