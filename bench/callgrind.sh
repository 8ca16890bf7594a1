#!/bin/sh
# Instructions per event of every operation on every corpus, under valgrind's callgrind: one
# run per corpus, each operation's inclusive instructions (exev_bench::ops::op_*) divided by
# the events (the largest of the lines callgrind_annotate gives a function: its whole
# inclusive cost). Steady on a loaded machine, unlike wall-clock time.
# Usage: sh bench/callgrind.sh [CORPUS...]   (corpora: msc-ruma gen-ruma exev-bench)
set -eu
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -j2 --quiet
bin="$CARGO_TARGET_DIR/release/exev-bench"
mkdir -p "$CARGO_TARGET_DIR/callgrind"
for corpus in ${*:-msc-ruma gen-ruma exev-bench}; do
  out="$CARGO_TARGET_DIR/callgrind/$corpus.out"
  events=$(valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" cg "$corpus" 2>/dev/null |
    sed -n 's/^events //p')
  echo "== $corpus ($events events): instructions per event"
  callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null |
    grep -E 'exev_bench::ops::op_[a-z_]+' |
    sed -E 's/^ *([0-9,]+) .*exev_bench::ops::(op_[a-z_]+).*/\1 \2/' | tr -d , | sort -k2,2 -k1,1nr | awk '!seen[$2]++' |
    awk -v n="$events" '{ printf "  %-24s %10.0f\n", $2, $1 / n }'
done
