#!/usr/bin/env bash
# Runs benches/compare.py on every package of the benchmark corpus, one at a
# time, and keeps each report (markdown) and its JSON in OUT.
#
#   benches/run_corpus.sh [CORPUS] [OUT]
#
# CORPUS defaults to ~/.cache/mlscan-corpus (unpacked wheels, never
# committed); OUT to /tmp/mlscan-bench-<date>. Extra flags for every run can
# be given in COMPARE_FLAGS, e.g. COMPARE_FLAGS="--skip lizard".
# scikit-learn gets --full-radon. transformers gets --runs 3, and a separate
# single --full-radon run when FULL_RADON_TRANSFORMERS=1 (it takes minutes).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
corpus="${1:-$HOME/.cache/mlscan-corpus}"
out="${2:-/tmp/mlscan-bench-$(date -u +%Y%m%dT%H%M)}"
mkdir -p "$out"

cd "$here/.."
cargo build --release --quiet
cargo bench --bench parse_baseline --no-run --quiet 2>/dev/null

run() {
    local name="$1"
    shift
    local pkg="$corpus/$name"
    if [[ ! -d "$pkg" ]]; then
        echo "skip: $pkg not found" >&2
        return
    fi
    local tag="$name${SUFFIX:-}"
    echo "== $tag ($(date -u +%H:%M:%S))" >&2
    # shellcheck disable=SC2086
    python3 "$here/compare.py" "$pkg" --no-build --json "$out/$tag.json" ${COMPARE_FLAGS:-} "$@" \
        | tee "$out/$tag.md"
}

for pkg in hydra-core-1.3.8 kedro-1.7.0 torchmetrics-1.9.0 metaflow-2.19.39 mlflow-skinny-3.17.2; do
    run "$pkg" --runs 3
done
run scikit-learn-1.9.1 --runs 3 --full-radon
run transformers-5.23.0 --runs 3
if [[ "${FULL_RADON_TRANSFORMERS:-0}" == 1 ]]; then
    SUFFIX=-full-radon run transformers-5.23.0 --runs 1 --full-radon --skip mlscan-mccabe,lizard,ruff
fi
echo "reports in $out" >&2
