#!/usr/bin/env bash
# Wall time of the install (a fresh virtual environment, `pip install ".[dev]"`) and of the full `nbdev_test` suite
# (target: within 5 minutes on a 2-core CPU). Run it on an otherwise idle machine; it prints a Markdown table and writes
# bench/out/suite.json, bench/out/suite_install.log and bench/out/suite_test.log.
#
#   bench/suite.sh                     # both
#   bench/suite.sh --skip-install      # only the test suite, with the project's .venv (else nbdev_test on PATH)
#   PIP_ARGS="--no-index --find-links /wheels" bench/suite.sh   # offline install from a wheel folder
#   N_WORKERS=2 bench/suite.sh         # nbdev_test workers (default: the number of CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
export FASTGAN_LAB_OFFLINE=1
OUT=bench/out; mkdir -p "$OUT"
PY=${PYTHON:-python3}
NW=${N_WORKERS:-$(nproc)}
NBDEV_TEST=.venv/bin/nbdev_test; [ -x "$NBDEV_TEST" ] || NBDEV_TEST=nbdev_test   # a checkout without its own .venv: the one on PATH
now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; }   # JSON-safe (bc writes .25 for 0.25)
CPU="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) CPUs"
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

INSTALL_S=null
if [ "${1:-}" != "--skip-install" ]; then
  TMP=$(mktemp -d)
  t0=$(now)
  "$PY" -m venv "$TMP/venv"
  "$TMP/venv/bin/pip" install -q ${PIP_ARGS:-} ".[dev]" > "$OUT/suite_install.log" 2>&1
  t1=$(now)
  INSTALL_S=$(secs "$t0" "$t1")
  "$TMP/venv/bin/python" -c "import fastgan_lab, fastai, torch; print('import ok', torch.__version__)" >> "$OUT/suite_install.log"
  rm -rf "$TMP"
fi

t0=$(now)
set +e
"$NBDEV_TEST" --n_workers "$NW" --timing > "$OUT/suite_test.log" 2>&1
RC=$?
set -e
t1=$(now)
TEST_S=$(secs "$t0" "$t1")
LOAD1=$(cut -d' ' -f1 /proc/loadavg)

echo
echo "Suite timing, $DATE, $CPU, load average $LOAD0 -> $LOAD1"
echo
echo "| what | command | wall time |"
echo "|---|---|---|"
[ "$INSTALL_S" != null ] && printf '| install | `python -m venv v && v/bin/pip install ".[dev]"` | %.0f s |\n' "$INSTALL_S"
printf '| full test suite (exit %s) | `nbdev_test --n_workers %s --timing` | %.0f s |\n' "$RC" "$NW" "$TEST_S"
echo
echo "Slowest notebooks (from nbdev_test --timing):"
grep -E '\.ipynb: [0-9]+ secs' "$OUT/suite_test.log" | head -20 || true
cat > "$OUT/suite.json" <<EOF
{"date": "$DATE", "cpu": "$CPU", "install_seconds": $INSTALL_S, "test_seconds": $TEST_S, "test_exit": $RC,
 "n_workers": $NW, "load_before": $LOAD0, "load_after": $LOAD1}
EOF
exit $RC
