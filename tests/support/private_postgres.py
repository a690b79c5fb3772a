"""A private PostgreSQL server in a folder, for the clinic's Python tests and benchmark: Debian's
server binaries (/usr/lib/postgresql/<version>/bin), initdb with trust authentication for one
superuser "rollcoach", a unix socket in the folder and no TCP port. Under root (PostgreSQL refuses
to run as root) initdb and pg_ctl run as the "postgres" user, else "nobody", as in
tests/unit/journal/postgres_server.h and scripts/clinic-trial.sh.

    pg = PrivatePostgres("/tmp/x", settings={"max_connections": 300}); pg.start()
    uri = pg.create_database("clinic")        # postgresql:///clinic?host=/tmp/x&user=rollcoach
    pg.stop()
"""
import glob
import os
import pwd
import shutil
import subprocess


class PrivatePostgres:
    def __init__(self, root, settings=None):
        self.root = os.path.abspath(root)
        self.data = os.path.join(self.root, "data")
        self.settings = settings or {}
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")])
        if not found or not os.path.exists(os.path.join(found[-1], "initdb")):
            raise RuntimeError("PostgreSQL's server is not installed: apt-get install postgresql (scripts/install-deps.sh)")
        self.bin = found[-1]
        self.run_as = []
        if os.geteuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                user = "nobody"
            self.user = user
            self.run_as = ["runuser", "-u", user, "--"]

    def _run(self, *command):
        done = subprocess.run(self.run_as + list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{os.path.basename(command[0])} failed ({done.returncode}): {done.stderr.strip()[-500:]} "
                               f"(the folder {self.root} and its parents must be reachable by {getattr(self, 'user', 'you')})")

    def start(self):
        os.makedirs(self.root, exist_ok=True)
        if self.run_as:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, self.user)
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            self._run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "rollcoach", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
            lines = [f"listen_addresses = ''", f"unix_socket_directories = '{self.root}'"]
            lines += [f"{name} = {value}" for name, value in self.settings.items()]
            with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
                conf.write("\n".join(lines) + "\n")
        status = subprocess.run(self.run_as + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "status"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if status.returncode != 0:
            self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.root, "server.log"), "-w", "start")

    def stop(self):
        subprocess.run(self.run_as + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def uri(self, database):
        return f"postgresql:///{database}?host={self.root}&user=rollcoach"

    def psql(self, database, sql):
        """Runs `sql`; returns its rows as lists of text (psql -At, fields split on '|')."""
        out = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.root, "-U", "rollcoach", "-d", database, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("|") for line in out.splitlines() if line]

    def create_database(self, database):
        if not self.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
            self.psql("postgres", f'CREATE DATABASE "{database}"')
        return self.uri(database)
