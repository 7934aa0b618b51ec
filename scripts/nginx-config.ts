// The balancer in front of a lab's cells, as an nginx configuration (Debian's nginx 1.22 and later).
//
// A learner's requests go to their cell: nginx maps the `lab_cell` cookie to that cell's upstream. A
// request without the cookie (or with a name nginx does not know) goes to any cell, the one with the
// fewest connections; so does a request whose cell does not answer (502/504 from the cookie's upstream
// is sent on to the named location @any, which tries the cells in turn). The cell that gets it places
// the learner and sets the cookie (lib/realtime/cell-placement.ts). WebSockets (the terminal) are
// upgraded, event streams are not buffered, and X-Forwarded-For is replaced by the address nginx saw,
// so a learner cannot choose the address their rate limits count against.
//
//   npm run nginx-config -- cell-a=10.0.0.5:3000 cell-b=10.0.0.6:3000 > /etc/nginx/nginx.conf
//
// prints the configuration for the cells named (their LAB_CELL names and addresses).

/** A cell as the balancer knows it: its LAB_CELL name and its address (host:port). */
export interface BalancedCell {
  name: string;
  address: string;
}

/** Where nginx listens and keeps its own files. */
export interface BalancerOptions {
  listen: string;
  /** nginx's PID file (nginx insists on one); its default place when absent. */
  pidFile?: string;
  /** A folder for request bodies and responses too large for memory; nginx's default when absent. */
  tempDir?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ADDRESS = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** Reads `name=host:port` arguments; throws with the argument that is not one. */
export function parseCells(args: string[]): BalancedCell[] {
  return args.map((arg) => {
    const [name, address] = arg.split('=');
    if (!name || !NAME.test(name) || !address || !ADDRESS.test(address))
      throw new Error(`"${arg}" is not name=host:port (a LAB_CELL name: lower-case letters, digits, dashes)`);
    return { name, address };
  });
}

/** The proxy settings both locations share. */
const PROXY = `      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Lab-Balancer 1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # Event streams and terminals flow as they come, and may stay open for a workshop's length.
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_connect_timeout 2s;`;

/** The nginx configuration for these cells. */
export function nginxConfig(cells: BalancedCell[], options: BalancerOptions): string {
  if (cells.length === 0) throw new Error('a balancer needs at least one cell');
  const names = new Set(cells.map((cell) => cell.name));
  if (names.size !== cells.length) throw new Error('two cells have the same name');
  const upstream = (cell: BalancedCell) => `lab_cell_${cell.name.replace(/-/g, '_')}`;
  const temp = options.tempDir
    ? `\n  client_body_temp_path ${options.tempDir}/body;\n  proxy_temp_path ${options.tempDir}/proxy;`
    : '';
  const args = [...cells.map((cell) => `${cell.name}=${cell.address}`), `--listen=${options.listen}`].join(' ');
  return `# The lab's balancer, made by (scripts/nginx-config.ts):
#   npm run nginx-config -- ${args}
worker_processes auto;
${options.pidFile ? `pid ${options.pidFile};\n` : ''}error_log stderr warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  server_tokens off;${temp}
  # The largest request is a run's files: 256 KiB of text, under 2 MB as JSON. Larger bodies stop here.
  client_max_body_size 4m;

  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' '';
  }

  # The learner's cell, by the cookie the lab sets; anyone else goes to any cell.
  map $cookie_lab_cell $lab_upstream {
    default lab_any;
${cells.map((cell) => `    ${cell.name} ${upstream(cell)};`).join('\n')}
  }

  upstream lab_any {
    least_conn;
${cells.map((cell) => `    server ${cell.address} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 32;
  }
${cells.map((cell) => `\n  upstream ${upstream(cell)} {\n    server ${cell.address};\n    keepalive 16;\n  }`).join('\n')}

  server {
    listen ${options.listen};

    location / {
      proxy_pass http://$lab_upstream;
${PROXY}
      # The learner's cell does not answer: another one places them.
      error_page 502 504 = @any;
    }

    location @any {
      proxy_pass http://lab_any;
${PROXY}
    }
  }
}
`;
}

/** `npm run nginx-config -- name=host:port …`: prints the configuration, listening on port 80. */
async function main(args: string[]): Promise<void> {
  const listen = args.find((arg) => arg.startsWith('--listen='))?.slice('--listen='.length) ?? '80';
  process.stdout.write(nginxConfig(parseCells(args.filter((arg) => !arg.startsWith('--'))), { listen }));
}

if (process.argv[1]?.endsWith('nginx-config.ts'))
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
