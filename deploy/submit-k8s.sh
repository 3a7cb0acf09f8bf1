#!/usr/bin/env bash
# Submit a MetaSpark job to Kubernetes with spark-submit (cluster mode: the driver runs in a pod; build the image
# with deploy/k8s/Dockerfile and apply deploy/k8s/rbac.yaml first). For the spark-operator, apply
# deploy/k8s/sparkapplication.yaml or deploy/k8s/scheduled-training.yaml instead.
#
#   METASPARK_K8S_MASTER=k8s://https://API:6443 METASPARK_IMAGE=registry/metaspark:TAG \
#     deploy/submit-k8s.sh [train|evaluate] ARGS...
#
# ARGS go to the CLI unchanged, e.g. --config /opt/metaspark/conf/sinusoid-maml.yaml
# --out hdfs://nn:8020/metaspark/runs/maml --resume. Settings shared by all targets (memory, Kryo, BLAS,
# --add-opens): deploy/lib/common.sh and deploy/README.md.
#
# Kubernetes-specific environment:
#   METASPARK_K8S_MASTER     required: k8s://https://HOST:PORT (kubectl cluster-info prints it)
#   METASPARK_IMAGE          required: the image built from deploy/k8s/Dockerfile
#   METASPARK_K8S_NAMESPACE  namespace (default metaspark, as in deploy/k8s/rbac.yaml)
#   METASPARK_K8S_SERVICE_ACCOUNT  the driver's service account (default metaspark-spark, as in rbac.yaml)
#   METASPARK_JAR            default: the jar inside the image, local:///opt/metaspark/jars/metaspark-spark-jobs-cluster.jar
set -euo pipefail
# shellcheck source=deploy/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Where deploy/k8s/Dockerfile puts the slim jar ("local://" = a file in the image, nothing is uploaded).
IMAGE_JAR=local:///opt/metaspark/jars/metaspark-spark-jobs-cluster.jar

usage() {
  cat <<EOF
usage: METASPARK_K8S_MASTER=k8s://https://HOST:PORT METASPARK_IMAGE=IMAGE $MS_PROG [train|evaluate] ARGS...
  e.g. $MS_PROG --config /opt/metaspark/conf/sinusoid-maml.yaml --out hdfs://nn:8020/metaspark/runs/maml
  environment: METASPARK_K8S_NAMESPACE, METASPARK_K8S_SERVICE_ACCOUNT, METASPARK_JAR, SPARK_HOME, ...
  (all settings: deploy/README.md)
EOF
}

ms_handle_help "$@"
[[ "${METASPARK_K8S_MASTER:-}" == k8s://* ]] ||
  ms_die 2 "set METASPARK_K8S_MASTER=k8s://https://HOST:PORT (the API server; kubectl cluster-info prints it)"
[[ -n "${METASPARK_IMAGE:-}" ]] || ms_die 2 "set METASPARK_IMAGE to the image built from deploy/k8s/Dockerfile"

ms_app_args "$@"
ms_find_spark_submit
ms_find_jar "$IMAGE_JAR"
ms_common_conf cluster
ms_gpu_conf k8s

ns=${METASPARK_K8S_NAMESPACE:-metaspark}
MS_CONF+=(
  --master "$METASPARK_K8S_MASTER"
  --deploy-mode cluster
  --name metaspark-"$MS_COMMAND"
  --driver-cores "${METASPARK_DRIVER_CORES:-2}"
  --conf "spark.executor.instances=${METASPARK_NUM_EXECUTORS:-2}"
  --conf "spark.driver.memoryOverhead=${METASPARK_DRIVER_OVERHEAD:-2g}"
  --conf "spark.kubernetes.namespace=$ns"
  --conf "spark.kubernetes.container.image=$METASPARK_IMAGE"
  --conf spark.kubernetes.container.image.pullPolicy=IfNotPresent
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${METASPARK_K8S_SERVICE_ACCOUNT:-metaspark-spark}"
  # The driver pod loads ND4J and runs its BLAS self-check: same variables as the executors.
  --conf spark.kubernetes.driverEnv.OMP_NUM_THREADS=1
)
if [[ -n "$MS_DRIVER_CORETYPE" ]]; then
  MS_CONF+=(--conf "spark.kubernetes.driverEnv.OPENBLAS_CORETYPE=$MS_DRIVER_CORETYPE")
fi
ms_check_cluster_paths "${MS_ARGS[@]}"

ms_submit
