#!/usr/bin/env node
// The listener protocol in Node.js: READY, then a header line and a payload of `len` bytes per
// event, answered with RESULT 2 / OK. On PROCESS_STATE_FATAL it ends supervisord, its parent.
let buffer = '';
let header = null;

process.stdout.write('READY\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (;;) {
    if (!header) {
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      header = Object.fromEntries(buffer.slice(0, end).split(' ').map((pair) => pair.split(':')));
      buffer = buffer.slice(end + 1);
    }
    const len = Number(header.len);
    if (buffer.length < len) return;
    const payload = buffer.slice(0, len);
    buffer = buffer.slice(len);
    if (header.eventname === 'PROCESS_STATE_FATAL') {
      console.error(`listener: ${payload}: stopping supervisord`);
      process.kill(process.ppid, 'SIGTERM');
    }
    header = null;
    process.stdout.write('RESULT 2\nOK');
    process.stdout.write('READY\n');
  }
});
