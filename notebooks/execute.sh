#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly against a run folder and a sweep folder, writing the executed
# notebooks and their figures (PNG) into OUT_DIR. Fails (exit 1) if any cell raises or a notebook saves no figure.
# SWEEP_DIR is a folder of runs, or a sweep folder written by `bin/metaspark sweep`. With SWEEP_TRIALS_DIR (a sweep folder
# written by `bin/metaspark sweep`, holding trials.jsonl), sweep.ipynb is executed on it too, as OUT_DIR/sweep-trials.
#
#   notebooks/execute.sh RUN_DIR SWEEP_DIR [OUT_DIR [SWEEP_TRIALS_DIR]]     (OUT_DIR default: out/notebooks)
#   e.g. notebooks/execute.sh runs/full/maml runs/full /tmp/nb-out runs/sweep-sinusoid
#
# Needs jupyter nbconvert with a python3 kernel that has matplotlib, pandas and yaml (.ci/install-tools installs
# the Debian packages). NBCONVERT overrides the command, e.g. NBCONVERT="python3 -m nbconvert".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() { echo "usage: $(basename "$0") RUN_DIR SWEEP_DIR [OUT_DIR [SWEEP_TRIALS_DIR]]" >&2; }
if [[ $# -lt 2 || $# -gt 4 ]]; then
  usage
  exit 2
fi
[[ -d "$1" ]] || { echo "execute.sh: run folder not found: $1" >&2; exit 2; }
[[ -d "$2" ]] || { echo "execute.sh: sweep folder not found: $2" >&2; exit 2; }
if [[ $# -eq 4 ]]; then
  [[ -f "$4/trials.jsonl" ]] || { echo "execute.sh: not a sweep folder written by metaspark sweep (no trials.jsonl): $4" >&2; exit 2; }
  trials=$(cd "$4" && pwd)
fi
run=$(cd "$1" && pwd)
sweep=$(cd "$2" && pwd)
out=${3:-$here/../out/notebooks}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# nbconvert: $NBCONVERT, else `jupyter nbconvert`, else python3 -m nbconvert (the first python3 that has it).
nbconvert=()
if [[ -n "${NBCONVERT:-}" ]]; then
  read -r -a nbconvert <<<"$NBCONVERT"
elif command -v jupyter >/dev/null && jupyter nbconvert --version >/dev/null 2>&1; then
  nbconvert=(jupyter nbconvert)
else
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -m nbconvert --version >/dev/null 2>&1; then
      nbconvert=("$py" -m nbconvert)
      break
    fi
  done
fi
if [[ ${#nbconvert[@]} -eq 0 ]]; then
  echo "execute.sh: jupyter nbconvert not found (Debian: python3-nbconvert, python3-ipykernel; see .ci/install-tools)" >&2
  exit 1
fi

export PYDEVD_DISABLE_FILE_VALIDATION=1 # silences ipykernel's debugger warning about frozen modules
status=0
# execute NOTEBOOK NAME SWEEP: runs NOTEBOOK into $out/NAME.ipynb, its figures into $out/NAME/; status=1 on failure.
execute() {
  local nb=$1 name=$2 sweep=$3
  local figs="$out/$name"
  rm -rf "$figs"
  mkdir -p "$figs"
  echo "execute.sh: $name.ipynb (run $run, sweep $sweep)"
  if ! METASPARK_RUN="$run" METASPARK_SWEEP="$sweep" METASPARK_FIG_DIR="$figs" \
    "${nbconvert[@]}" --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.kernel_name=python3 --output-dir "$out" --output "$name" "$nb"; then
    echo "execute.sh: FAILED: $name.ipynb (the executed notebook, up to the failing cell, is in $out)" >&2
    status=1
    return
  fi
  if ! compgen -G "$figs/*.png" >/dev/null; then
    echo "execute.sh: FAILED: $name.ipynb saved no figure into $figs" >&2
    status=1
    return
  fi
  echo "execute.sh: ok: $out/$name.ipynb, figures: $(cd "$figs" && echo *.png)"
}
for nb in "$here"/*.ipynb; do
  execute "$nb" "$(basename "$nb" .ipynb)" "$sweep"
done
if [[ -n "${trials:-}" ]]; then
  execute "$here/sweep.ipynb" sweep-trials "$trials"
fi
exit "$status"
