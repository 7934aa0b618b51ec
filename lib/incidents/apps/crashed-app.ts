// crashed: the application runs, then throws an error nobody catches. Node.js prints the stack trace
// and exits with 1; an app with a last-resort handler logs it and exits with the code it chose.
import type { SeededRandom } from '../seeded-random';
import { js, nodeAppDockerfile, prelude, type AppDetails, type AppPlan } from './app-parts';

/** The work that goes wrong, as JavaScript. */
const FAULTS: ((random: SeededRandom) => string)[] = [
  (random) => {
    const order = random.int(1000, 9999);
    return [
      `log('processing queued order ${order}');`,
      `  const order = JSON.parse(${js(`{"id": ${order}, "items": [3, 7,`)});`,
      `  log(\`order has \${order.items.length} items\`);`,
    ].join('\n');
  },
  (random) => {
    const customer = random.int(10, 99);
    return [
      `const customers = new Map([[1, { email: 'ada@example.com' }]]);`,
      `  log('sending the invoice of customer ${customer}');`,
      `  log(\`to \${customers.get(${customer}).email}\`);`,
    ].join('\n');
  },
  (random) => {
    const item = random.int(10, 99);
    return [
      `log('syncing the inventory');`,
      `  (async () => {`,
      `    throw new Error(${js(`inventory sync: item ${item} has a negative quantity`)});`,
      `  })();`,
    ].join('\n');
  },
  (random) => {
    const page = random.int(2, 9);
    return [
      `log('rendering report page ${page}');`,
      `  const rows = new Array(${page} - 12);`,
      `  log(\`\${rows.length} rows\`);`,
    ].join('\n');
  },
];

/** The app of a crashed incident. */
export function crashedApp(random: SeededRandom, app: AppDetails): AppPlan {
  // A last-resort handler that exits 70 (EX_SOFTWARE), or Node.js's own behaviour: exit 1.
  const exitCode = random.pick([1, 1, 70]);
  const fault = random.pick(FAULTS)(random);
  const handler =
    exitCode === 1
      ? []
      : [
          `process.on('uncaughtException', (error) => {`,
          `  warn(\`fatal: \${error.stack}\`);`,
          `  process.exit(${exitCode});`,
          `});`,
        ];
  const source = [
    prelude(app),
    ...handler,
    `log('listening on :${app.port}');`,
    `setInterval(() => log('ok'), 1000);`,
    `setTimeout(() => {`,
    `  ${fault}`,
    `}, ${app.failAfterMs});`,
    ``,
  ].join('\n');
  // Either way node is PID 1: `CMD ["node", "app.js"]`, or `ENTRYPOINT ["node"]` with the file as CMD.
  const image = nodeAppDockerfile(random, app.file);
  return {
    files: [image, { name: app.file, content: source }],
    env: {},
    expected: { pid1Command: `node ${app.file}`, exitCode, oomKilled: false },
  };
}
