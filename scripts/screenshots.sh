#!/usr/bin/env bash
# Renders the README's screenshots of the workbench into docs/, from scratch copies of the
# bundled example (so the pictures show a real database position). Needs a build (scripts/build.sh);
# the MySQL pictures need mariadb-server and python3-pymysql (a throwaway server is started).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/build/bin"
[ -x "$bin/retort-workbench" ] || bash scripts/build.sh
scratch=$(mktemp -d)
mariadb_pid=""
cleanup() {
  if [ -n "$mariadb_pid" ]; then
    kill "$mariadb_pid" 2>/dev/null || true   # SIGTERM: mariadbd shuts down cleanly
    wait "$mariadb_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
alembic_py() { (cd "$1" && /usr/bin/python3 -m alembic "${@:2}" >/dev/null 2>&1); }
fresh() {
  rm -rf "$scratch/coffee-shop"
  cp -r examples/coffee-shop "$scratch/coffee-shop"
  rm -f "$scratch/coffee-shop/coffee.db"
}
export QT_QPA_PLATFORM=offscreen
export XDG_CONFIG_HOME="$scratch/config"   # fresh window layout, no recent projects
mkdir -p docs
shot() { rm -rf "$XDG_CONFIG_HOME"; "$bin/retort-workbench" "$scratch/coffee-shop" --size 1500x900 "$@" 2>/dev/null; }

fresh
alembic_py "$scratch/coffee-shop" upgrade 4b6d9e2f8a01
shot --select c5a8830e41f7 --line 20 --screenshot docs/workbench.png
shot --select 7f2e4c9b1d83 --screenshot docs/merge.png
shot --filter menu --select 9a3c5f71e8d6 --screenshot docs/filter.png
shot --select 4b6d9e2f8a01 --describe '\d orders' --screenshot docs/schema.png
shot --select 7f2e4c9b1d83 --upgrade heads --screenshot docs/run.png
shot --select 4b6d9e2f8a01 --sql --screenshot docs/sql.png
fresh
shot --select 7f2e4c9b1d83 --stairway --screenshot docs/stairway.png

# A project with two heads shows the banner.
cat > "$scratch/coffee-shop/alembic/versions/e41a0c7d2b95_add_loyalty_points.py" <<'PY'
"""add loyalty points to customers

Revision ID: e41a0c7d2b95
Revises: 8d41e07c5a92
Create Date: 2026-10-07 08:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "e41a0c7d2b95"
down_revision = "8d41e07c5a92"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("points", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("points")
PY
shot --select e41a0c7d2b95 --screenshot docs/two-heads.png

# A MariaDB of its own: data folder and socket under $scratch, loopback at a free port,
# stopped on exit. Never the system's server.
start_mariadb() {
  local dir="$scratch/mariadb" user
  user=$(id -un)
  command -v mariadb-install-db >/dev/null && command -v mariadb >/dev/null && [ -x /usr/sbin/mariadbd ] || return 1
  /usr/bin/python3 -c 'import pymysql' 2>/dev/null || return 1
  mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$user" --auth-root-authentication-method=socket \
    --skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1 || return 1
  mariadb_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$mariadb_port" \
    --bind-address=127.0.0.1 --user="$user" --pid-file="$dir/mariadbd.pid" --skip-name-resolve \
    --innodb-buffer-pool-size=32M --skip-log-bin >"$dir/server.log" 2>&1 &
  mariadb_pid=$!
  local i
  for i in $(seq 1 300); do
    mariadb --no-defaults -S "$dir/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$mariadb_pid" 2>/dev/null || return 1
    sleep 0.2
  done
  mariadb --no-defaults -S "$dir/mysqld.sock" -uroot \
    -e "CREATE USER 'retort'@'%' IDENTIFIED BY 'shots'; GRANT ALL ON *.* TO 'retort'@'%'; CREATE DATABASE coffee"
}

# The example on MySQL: the schema dock's \d of a table, and the server's SHOW CREATE text.
if start_mariadb; then
  fresh
  sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = mysql+pymysql://retort:shots@127.0.0.1:$mariadb_port/coffee|" \
    "$scratch/coffee-shop/alembic.ini"
  alembic_py "$scratch/coffee-shop" upgrade heads
  shot --select 4b6d9e2f8a01 --describe '\d orders' --screenshot docs/mysql.png
  shot --select 4b6d9e2f8a01 --show-create orders --screenshot docs/mysql-create.png
else
  echo "no MariaDB server or PyMySQL here (mariadb-server, python3-pymysql): docs/mysql*.png not rendered" >&2
fi
echo "screenshots written to docs/"
