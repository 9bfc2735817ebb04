#!/usr/bin/env bash
# Byte-identical proof of the note read model: dumps every note list (tests/readmodel/parity_dump.py)
# with the code of commit OLD (default: the commit before the read model) and with the working
# tree, back to back on the same database and Redis, and diffs them. Seed first, e.g.:
#   DEBUG=1 .venv/bin/python manage.py seed_demo --users 150 --notes 800 --seed 42 --no-progress
# Usage (with DATABASE_URL, REDIS_URL, DEBUG=1 set): bash tests/readmodel/parity.sh [OLD]
set -euo pipefail
cd "$(dirname "$0")/../.."
old="${1:-606b6b8}"
out="var/parity"
rm -rf "$out/src-old" "$out/old" "$out/new"
mkdir -p "$out/src-old"
git archive "$old" | tar -x -C "$out/src-old"
cp tests/readmodel/parity_dump.py "$out/src-old/tests/readmodel/parity_dump.py" 2>/dev/null || {
  mkdir -p "$out/src-old/tests/readmodel" && cp tests/readmodel/__init__.py tests/readmodel/parity_dump.py "$out/src-old/tests/readmodel/"
}
(cd "$out/src-old" && "$OLDPWD/.venv/bin/python" -m tests.readmodel.parity_dump "$OLDPWD/$out/old") 2>/dev/null
.venv/bin/python -m tests.readmodel.parity_dump "$out/new" 2>/dev/null
if diff -r "$out/old" "$out/new" >"$out/diff.txt"; then
  echo "parity: $(ls "$out/new" | wc -l) responses byte-identical ($old vs working tree)"
else
  echo "parity: differences, see $out/diff.txt"; diff -rq "$out/old" "$out/new" | head -20; exit 1
fi
