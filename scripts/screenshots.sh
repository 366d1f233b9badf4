#!/usr/bin/env bash
# Renders the README's screenshots of the workbench into docs/, from scratch copies of the
# bundled example (so the pictures show a real database position). Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/build/bin"
[ -x "$bin/retort-workbench" ] || bash scripts/build.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
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
echo "screenshots written to docs/"
