#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the NVIDIA GPUs this container or
# node sees, as Spark wants them: {"name": "gpu", "addresses": ["0", "1"]}. YARN and Kubernetes make only the GPUs
# they assigned visible. Exits 1, with a message, when nvidia-smi is missing or fails.
set -euo pipefail
command -v nvidia-smi >/dev/null || {
  echo "gpu-discovery.sh: nvidia-smi not found (no NVIDIA driver on this node?)" >&2
  exit 1
}
indices=$(nvidia-smi --query-gpu=index --format=csv,noheader) || {
  echo "gpu-discovery.sh: nvidia-smi failed" >&2
  exit 1
}
addresses=$(tr -d ' \r' <<<"$indices" | awk 'NF { printf "%s\"%s\"", (n++ ? ", " : ""), $0 }')
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
