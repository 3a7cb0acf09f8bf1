#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU (about 10 minutes there, the build aside):
#   1. the device (nvidia-smi) and, unless --no-build, the CUDA build (mvn -Pcuda: ND4J's CUDA 11.6 backend with cuDNN);
#   2. bin/metaspark bench backends: what ND4J runs on, Conv-4's loss, gradient and Hessian-vector product on ND4J (the
#      GPU) against oneDNN (the CPU), and ms per MAML and ProtoNets meta-step at 5-way and 20-way 1-shot on both;
#   3. MAML 5-way 1-shot (conf/omniglot-5w1s-maml.yaml, backend auto) trained through Spark local[*] for two minutes,
#      stopped with SIGTERM (which checkpoints), then meta-tested on 200 unseen tasks from its last checkpoint.
# Everything it prints goes to OUT/gpu-check.log too; paste that into docs/results.md. On a machine without a GPU it
# runs the same steps on the CPU (ND4J's CPU backend), which checks the script and nothing about GPUs.
#
# usage: deploy/gpu-check.sh [--no-build] [--train-seconds N] [OUT]   (OUT default: target/gpu-check)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=1
seconds=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --train-seconds)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "gpu-check.sh: --train-seconds wants a positive whole number, not '${2:-}'" >&2; exit 2; }
      seconds=$2
      shift
      ;;
    -h | --help)
      sed -n '2,12p' "$0"
      exit 0
      ;;
    -*) echo "gpu-check.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
out=${1:-target/gpu-check}
mkdir -p "$out"
log="$out/gpu-check.log"
: >"$log"
say() { echo "$*" | tee -a "$log"; }

say "== device"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,memory.total,driver_version,compute_cap --format=csv 2>&1 | tee -a "$log" ||
    nvidia-smi 2>&1 | head -15 | tee -a "$log"
else
  say "no nvidia-smi: no NVIDIA GPU here; the steps below run on the CPU"
fi

if ((build)); then
  say "== build: mvn -Pcuda package"
  mvn -B -q -Pcuda -DskipTests package 2>&1 | tail -20 | tee -a "$log"
fi

say "== bench backends"
bin/metaspark bench backends --rounds 3 2>&1 | grep -v -e WARN -e '^Warning' | tee -a "$log"

say "== MAML 5-way 1-shot, ${seconds} s of training through Spark local[*]"
run="$out/maml-5w1s"
rm -rf "$run"
rc=0
timeout --preserve-status -s TERM "$seconds" bin/metaspark train --config conf/omniglot-5w1s-maml.yaml --out "$run" \
  --set checkpoint_every=50 --set val_every=0 --set log_every=50 2>&1 | grep -v -e WARN -e '^Warning' | tee -a "$log" || rc=$?
say "train ended with exit code $rc (6: stopped by SIGTERM with a checkpoint; 0: finished)"
step=$(find "$run/checkpoints" -maxdepth 1 -name 'step-*' 2>/dev/null | sed 's/.*step-0*//' | sort -n | tail -1)
if [[ -z "$step" ]]; then
  say "no checkpoint written: nothing to meta-test"
  exit 1
fi
say "== meta-test of step $step on 200 unseen tasks"
bin/metaspark evaluate --run "$run" --step "$step" --set eval_tasks=200 2>&1 | grep -v -e WARN -e '^Warning' | tee -a "$log"
say "== done: $log"
