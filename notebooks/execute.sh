#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly against a run folder and a sweep folder, writing the executed
# notebooks and their figures (PNG) into OUT_DIR. Fails (exit 1) if any cell raises or a notebook saves no figure.
#
#   notebooks/execute.sh RUN_DIR SWEEP_DIR [OUT_DIR]        (OUT_DIR default: out/notebooks)
#   e.g. notebooks/execute.sh runs/full/maml runs/full /tmp/nb-out
#
# Needs jupyter nbconvert with a python3 kernel that has matplotlib, pandas and yaml (.ci/install-tools installs
# the Debian packages). NBCONVERT overrides the command, e.g. NBCONVERT="python3 -m nbconvert".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() { echo "usage: $(basename "$0") RUN_DIR SWEEP_DIR [OUT_DIR]" >&2; }
if [[ $# -lt 2 || $# -gt 3 ]]; then
  usage
  exit 2
fi
[[ -d "$1" ]] || { echo "execute.sh: run folder not found: $1" >&2; exit 2; }
[[ -d "$2" ]] || { echo "execute.sh: sweep folder not found: $2" >&2; exit 2; }
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
for nb in "$here"/*.ipynb; do
  name=$(basename "$nb" .ipynb)
  figs="$out/$name"
  rm -rf "$figs"
  mkdir -p "$figs"
  echo "execute.sh: $name.ipynb (run $run, sweep $sweep)"
  if ! METASPARK_RUN="$run" METASPARK_SWEEP="$sweep" METASPARK_FIG_DIR="$figs" \
    "${nbconvert[@]}" --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.kernel_name=python3 --output-dir "$out" --output "$name" "$nb"; then
    echo "execute.sh: FAILED: $name.ipynb (the executed notebook, up to the failing cell, is in $out)" >&2
    status=1
    continue
  fi
  if ! compgen -G "$figs/*.png" >/dev/null; then
    echo "execute.sh: FAILED: $name.ipynb saved no figure into $figs" >&2
    status=1
    continue
  fi
  echo "execute.sh: ok: $out/$name.ipynb, figures: $(cd "$figs" && echo *.png)"
done
exit "$status"
