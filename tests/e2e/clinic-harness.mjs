// The browser tests of clinic mode need a real PostgreSQL and `rollcoach serve --clinic`. This
// starts both the way tests/unit/journal/postgres_server.cpp does for the journal tests: Debian's
// initdb and pg_ctl (/usr/lib/postgresql/<version>/bin, or $ROLLCOACH_PG_BIN) into a temporary
// folder, listening only on a unix socket there, trust authentication for one superuser
// "rollcoach", run as the "postgres" user when we are root; removed afterwards. No mock.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, rollcoachBinary } from './harness.mjs';

function postgresBin() {
  if (process.env.ROLLCOACH_PG_BIN) return process.env.ROLLCOACH_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error("The clinic browser tests need Debian's PostgreSQL server (initdb, pg_ctl): apt-get install postgresql, or set ROLLCOACH_PG_BIN.");
}

function userId(name) {
  const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).split(':');
  return { uid: Number(line[2]), gid: Number(line[3]) };
}

/** A private PostgreSQL with one empty database; resolves with { uri, stop() }. */
export async function startPostgres() {
  const bin = postgresBin();
  const root = mkdtempSync(join(tmpdir(), 'rollcoach-e2e-pg-'));
  const socket = join(root, 'socket');
  mkdirSync(socket);
  const asRoot = process.getuid?.() === 0;
  const run = (tool, args) => {
    const [cmd, full] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    return execFileSync(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  if (asRoot) {
    const { uid, gid } = userId('postgres');
    chownSync(root, uid, gid);
    chownSync(socket, uid, gid);
  }
  const data = join(root, 'data');
  run('initdb', ['-D', data, '-U', 'rollcoach', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  appendFileSync(
    join(data, 'postgresql.conf'),
    `\nlisten_addresses = ''\nunix_socket_directories = '${socket}'\nport = 5432\nfsync = off\nfull_page_writes = off\nmax_connections = 40\nshared_buffers = 16MB\n`,
  );
  run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);
  run('createdb', ['-h', socket, '-U', 'rollcoach', 'clinic']);
  return {
    uri: `postgresql:///clinic?host=${socket}&user=rollcoach`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** `rollcoach --db <uri> clinic add-therapist` with the password on standard input. */
export function addTherapist(uri, { email, name, password }) {
  return execFileSync(rollcoachBinary(), ['--db', uri, 'clinic', 'add-therapist', '--email', email, '--name', name], {
    input: `${password}\n`,
    encoding: 'utf8',
  });
}

/** `rollcoach --db <uri> serve --clinic --port 0`; resolves with { url (the origin), stop() }. */
export async function startClinicServer(uri, { speed = 60 } = {}) {
  // The spool (docs/clinic.md, "When PostgreSQL is lost") in a folder of the test's, not the user's data directory.
  const spool = mkdtempSync(join(tmpdir(), 'rollcoach-e2e-spool-'));
  const args = ['--db', uri, 'serve', '--clinic', '--port', '0', '--speed', String(speed), '--no-voice', '--web', join(repo, 'web', 'dist'), '--spool-dir', spool];
  const child = spawn(rollcoachBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rollcoach serve --clinic did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/open (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]).origin + '/');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rollcoach serve --clinic exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      rmSync(spool, { recursive: true, force: true });
    },
  };
}
