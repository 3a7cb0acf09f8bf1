#!/usr/bin/env bash
# Submit a MetaSpark job to a Spark standalone cluster (spark://host:7077).
#
#   METASPARK_MASTER=spark://master:7077 deploy/submit-standalone.sh [train|evaluate] ARGS...
#
# ARGS go to the CLI unchanged, e.g. --config conf/sinusoid-maml.yaml --out hdfs://nn:8020/metaspark/runs/maml
# --set meta_steps=5000 --resume. Settings shared by all targets (memory, Kryo, BLAS, --add-opens):
# deploy/lib/common.sh and deploy/README.md.
#
# Standalone-specific environment:
#   METASPARK_MASTER       required: spark://HOST:PORT (several masters with ZooKeeper: spark://h1:7077,h2:7077)
#   METASPARK_DEPLOY_MODE  client (default: the driver runs here) or cluster (a Worker runs the driver; the jar, the
#                          --config file and the --out folder must then be reachable from every Worker)
#   METASPARK_AUTH_SECRET_FILE  the secret the Master and Workers share, when they run with spark.authenticate=true
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
usage: METASPARK_MASTER=spark://HOST:7077 $MS_PROG [train|evaluate] ARGS...
  e.g. METASPARK_MASTER=spark://master:7077 $MS_PROG --config conf/sinusoid-maml.yaml --out hdfs://nn:8020/runs/maml
  environment: METASPARK_DEPLOY_MODE=client|cluster, METASPARK_JAR, SPARK_HOME, METASPARK_EXECUTOR_MEMORY, ...
  (all settings: deploy/README.md)
EOF
}

ms_handle_help "$@"
[[ -n "${METASPARK_MASTER:-}" ]] || ms_die 2 "set METASPARK_MASTER=spark://HOST:PORT (the standalone Master's URL)"
[[ "$METASPARK_MASTER" == spark://* ]] || ms_die 2 "METASPARK_MASTER must start with spark:// (got $METASPARK_MASTER)"
mode=${METASPARK_DEPLOY_MODE:-client}
[[ "$mode" == client || "$mode" == cluster ]] || ms_die 2 "METASPARK_DEPLOY_MODE must be client or cluster, not '$mode'"

ms_app_args "$@"
ms_find_spark_submit
ms_find_jar "$MS_DEFAULT_JAR"
ms_common_conf "$mode"
ms_gpu_conf standalone
ms_auth_secret_from_file

cores=${METASPARK_EXECUTOR_CORES:-4}
executors=${METASPARK_NUM_EXECUTORS:-2}
MS_CONF+=(
  --master "$METASPARK_MASTER"
  --deploy-mode "$mode"
  # Standalone has no executor count: it starts as many executors of --executor-cores as fit this total.
  --total-executor-cores "$((cores * executors))"
)
if [[ "$mode" == cluster ]]; then
  # The Worker that runs the driver starts it with this submitting shell's environment (OPENBLAS_CORETYPE,
  # OMP_NUM_THREADS exported by ms_common_conf), with these cores and memory. No --supervise: it restarts a driver
  # after any failure, also after exit codes 2-4 that a restart cannot fix (bad config, no data, diverged).
  MS_CONF+=(--driver-cores "${METASPARK_DRIVER_CORES:-2}")
  ms_check_cluster_paths "${MS_ARGS[@]}"
fi

ms_submit
