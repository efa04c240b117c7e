#!/usr/bin/env bash
# Regenerates the shipped watchlists, rules/lists/*.emb, from the official list files.
#
#   scripts/regenerate-lists.sh [DATA_DIR]
#
# DATA_DIR holds the list files in the layout below (default: ../shared/data beside the
# repository, or $EMBARGO_LIST_DATA). Each list is imported whole, not only its DPRK
# programs: DPRK facilitators are often designated under other programs (OFAC NPWMD
# entries citing the North Korea Sanctions Regulations, for one), and a program cut
# would miss them. Every generated file names its sources and as-of date in its header
# and its `list` block. The OFAC CSV files carry no date of their own, so theirs is
# given here; the UN file carries its own.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${1:-${EMBARGO_LIST_DATA:-../shared/data}}"
if [ ! -d "$DATA/ofac" ]; then
  echo "usage: $0 DATA_DIR  (no list data found at $DATA)" >&2
  exit 1
fi

cargo build --release --locked --quiet
EMBARGO=target/release/embargo
OUT=rules/lists
mkdir -p "$OUT"

# OFAC SDN: primary records of 2024-05-03 with the aliases and addresses of 2025-12-24
# (the newest of each that we hold). Rows of the newer files whose entity the older
# sdn.csv does not have are counted as unmatched in the header.
"$EMBARGO" import ofac-sdn \
  "$DATA/ofac/sdn-2024-05.csv" "$DATA/ofac/alt-2025-12.csv" "$DATA/ofac/add-2025-12.csv" \
  --as-of 2024-05-03 -o "$OUT/ofac-sdn.emb"

# OFAC Consolidated (non-SDN) list, 2025-12, with its comments file.
"$EMBARGO" import ofac-cons \
  "$DATA/ofac/cons-2025-12/cons_prim.csv" "$DATA/ofac/cons-2025-12/cons_alt.csv" \
  "$DATA/ofac/cons-2025-12/cons_add.csv" "$DATA/ofac/cons-2025-12/cons_comments.csv" \
  --as-of 2025-12-24 -o "$OUT/ofac-cons.emb"

# UN Security Council Consolidated List (dated by its dateGenerated attribute).
"$EMBARGO" import un "$DATA/un/consolidated-2026-02-27.xml" -o "$OUT/un.emb"

# EU DPRK designations, Regulation 2017/1509 annexes as transcribed from the Official
# Journal (the transcription is of 2026-08).
"$EMBARGO" import eu "$DATA/eu/eu-journal-2017-1509-dprk.csv" \
  --as-of 2026-08-01 -o "$OUT/eu-dprk.emb"

"$EMBARGO" check --rules rules
