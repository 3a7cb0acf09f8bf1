#!/usr/bin/env bash
# Submit a MetaSpark job to Hadoop YARN, in client mode (the driver runs here) or cluster mode (the driver runs in
# the YARN ApplicationMaster; this shell may go away once YARN has accepted the application).
#
#   deploy/submit-yarn.sh [--client|--cluster] [train|evaluate] ARGS...
#
# ARGS go to the CLI unchanged, e.g. --config hdfs:///metaspark/conf/sinusoid-maml.yaml
# --out hdfs:///metaspark/runs/maml --resume. Settings shared by all targets (memory, Kryo, BLAS, --add-opens):
# deploy/lib/common.sh and deploy/README.md.
#
# YARN-specific environment:
#   HADOOP_CONF_DIR or YARN_CONF_DIR  required: the cluster's client configuration (core-site.xml, yarn-site.xml)
#   METASPARK_DEPLOY_MODE  client (default) or cluster; --client / --cluster on the command line win
#   METASPARK_YARN_QUEUE   the YARN queue (default: the cluster's default queue)
#   METASPARK_YARN_ATTEMPTS  ApplicationMaster attempts (default 1). A second attempt finds the run folder of the
#                          first: use 2 or more only together with --resume.
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
usage: $MS_PROG [--client|--cluster] [train|evaluate] ARGS...
  e.g. $MS_PROG --cluster --config hdfs:///metaspark/conf/sinusoid-maml.yaml --out hdfs:///metaspark/runs/maml
  environment: HADOOP_CONF_DIR (required), METASPARK_DEPLOY_MODE, METASPARK_YARN_QUEUE, METASPARK_JAR, SPARK_HOME, ...
  (all settings: deploy/README.md)
EOF
}

mode=${METASPARK_DEPLOY_MODE:-client}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) mode=client ;;
    --cluster) mode=cluster ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) break ;;
  esac
  shift
done
if [[ $# -eq 0 ]]; then
  usage >&2
  exit 2
fi
[[ "$mode" == client || "$mode" == cluster ]] || ms_die 2 "METASPARK_DEPLOY_MODE must be client or cluster, not '$mode'"
[[ -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] ||
  ms_die 5 "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the folder with the cluster's core-site.xml and yarn-site.xml"

ms_app_args "$@"
ms_find_spark_submit
ms_find_jar "$MS_DEFAULT_JAR"
ms_common_conf "$mode"
ms_gpu_conf yarn

MS_CONF+=(
  --master yarn
  --deploy-mode "$mode"
  --num-executors "${METASPARK_NUM_EXECUTORS:-2}"
  --conf "spark.yarn.maxAppAttempts=${METASPARK_YARN_ATTEMPTS:-1}"
)
if [[ -n "${METASPARK_YARN_QUEUE:-}" ]]; then
  MS_CONF+=(--queue "$METASPARK_YARN_QUEUE")
fi
if [[ "$mode" == cluster ]]; then
  # The driver lives in the ApplicationMaster's container: it needs its own off-heap room and the BLAS variables
  # (it loads ND4J and runs its BLAS self-check).
  MS_CONF+=(
    --driver-cores "${METASPARK_DRIVER_CORES:-2}"
    --conf "spark.driver.memoryOverhead=${METASPARK_DRIVER_OVERHEAD:-2g}"
    --conf spark.yarn.appMasterEnv.OMP_NUM_THREADS=1
  )
  if [[ -n "$MS_DRIVER_CORETYPE" ]]; then
    MS_CONF+=(--conf "spark.yarn.appMasterEnv.OPENBLAS_CORETYPE=$MS_DRIVER_CORETYPE")
  fi
  ms_check_cluster_paths "${MS_ARGS[@]}"
fi

ms_submit
