# shellcheck shell=bash
# Shared by deploy/submit-*.sh (sourced, never run). It builds the spark-submit options that every cluster target
# needs; each submit-*.sh adds only what is specific to its cluster manager (master URL, deploy mode, image...).
#
# Everything is configured through environment variables (all optional unless a script says otherwise):
#   SPARK_HOME                      Spark 3.5.x / Scala 2.12 distribution; else spark-submit must be on PATH
#   METASPARK_JAR                   application jar (default: the slim cluster jar built in spark-jobs/target)
#   METASPARK_CONF_DIR              where jvm.properties lives (default: <repo>/conf)
#   METASPARK_EXECUTOR_MEMORY       executor JVM heap (default 4g)
#   METASPARK_EXECUTOR_OVERHEAD     spark.executor.memoryOverhead: everything off the heap (default 3g)
#   METASPARK_EXECUTOR_CORES        cores (= concurrent single-threaded Spark tasks) per executor (default 4)
#   METASPARK_NUM_EXECUTORS         executors (default 2)
#   METASPARK_DRIVER_MEMORY         driver heap (default 4g, as bin/metaspark)
#   METASPARK_DRIVER_OVERHEAD       spark.driver.memoryOverhead, cluster deploy mode only (default 2g)
#   METASPARK_DRIVER_CORES          driver cores, cluster deploy mode only (default 2)
#   METASPARK_ND4J_MAXBYTES         -Dorg.bytedeco.javacpp.maxbytes for executors (default: overhead - 1g)
#   METASPARK_ND4J_MAXPHYSICALBYTES -Dorg.bytedeco.javacpp.maxphysicalbytes for executors (default: heap + overhead - 384m)
#   METASPARK_CPU                   avx512 | avx2 | generic: the CPUs of the cluster nodes (default avx512, see below)
#   METASPARK_DRIVER_CPU            the same for the driver (default: this machine's CPU in client mode, else METASPARK_CPU)
#   METASPARK_OPENBLAS_CORETYPE     overrides the OPENBLAS_CORETYPE that METASPARK_CPU picks (never empty)
#   METASPARK_GPUS                  GPUs per executor (default 0: CPU executors). With GPUs, one Spark task per GPU, the
#                                   executors run the CUDA build (mvn -Pcuda) without the CPU-only onednn-avx512
#                                   native variant, and backend auto runs Conv-4 on ND4J there (deploy/README.md, GPUs)
#   METASPARK_AUTHENTICATE          true | false: spark.authenticate (default true)
#   METASPARK_AUTH_SECRET_FILE      file holding the shared secret (standalone only; YARN and Kubernetes generate one)
#   METASPARK_EXTRA_JAVA_OPTS       more JVM options for driver and executors (space separated)
#   METASPARK_SUBMIT_OPTS           more spark-submit options, e.g. "--conf spark.eventLog.enabled=true" (space separated)
#   METASPARK_DRY_RUN               1: print the spark-submit command instead of running it

MS_MAIN_CLASS=ai.metaspark.cli.MetaSparkCli
MS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MS_DEFAULT_JAR="$MS_ROOT/spark-jobs/target/metaspark-spark-jobs-0.1.0-SNAPSHOT-cluster.jar"
MS_PROG=$(basename "$0")

# Exit codes follow the CLI's (spark-jobs/.../cli/ExitCodes.java): 2 bad arguments, 5 infrastructure missing.
ms_die() {
  local code=$1
  shift
  echo "$MS_PROG: $*" >&2
  exit "$code"
}

ms_warn() { echo "$MS_PROG: warning: $*" >&2; }

# Sets MS_SPARK_SUBMIT: $SPARK_HOME/bin/spark-submit, or spark-submit from PATH.
ms_find_spark_submit() {
  if [[ -n "${SPARK_HOME:-}" ]]; then
    MS_SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"
    [[ -x "$MS_SPARK_SUBMIT" ]] ||
      ms_die 5 "SPARK_HOME=$SPARK_HOME has no executable bin/spark-submit (want a Spark 3.5.x, Scala 2.12 distribution)"
  elif MS_SPARK_SUBMIT=$(command -v spark-submit); then
    :
  else
    ms_die 5 "spark-submit not found: set SPARK_HOME to a Spark 3.5.x (Scala 2.12) distribution or put spark-submit on PATH"
  fi
}

# Sets MS_JAR from METASPARK_JAR (default: $1 or the slim jar). A local path must exist; a URI (local:, hdfs:, s3a:,
# https: ...) is taken as given, since only the cluster can see it.
ms_find_jar() {
  MS_JAR=${METASPARK_JAR:-${1:-$MS_DEFAULT_JAR}}
  case "$MS_JAR" in
    *://* | local:*) return 0 ;;
  esac
  [[ -f "$MS_JAR" ]] ||
    ms_die 5 "application jar not found: $MS_JAR (build the slim cluster jar in spark-jobs, or set METASPARK_JAR)"
}

# Value of KEY in jvm.properties (the one home of the JVM flags, shared with bin/metaspark and the Maven build).
ms_prop() {
  local file="${METASPARK_CONF_DIR:-$MS_ROOT/conf}/jvm.properties"
  [[ -r "$file" ]] || ms_die 5 "cannot read $file (set METASPARK_CONF_DIR)"
  sed -n "s/^$1=//p" "$file"
}

# "4g", "512m", "3072" (MiB), "1t" -> MiB. Refuses anything else (exit 2).
ms_to_mib() {
  local v=$1 n unit
  [[ "$v" =~ ^([0-9]+)([kKmMgGtT]?)[bB]?$ ]] || ms_die 2 "not a memory size: '$v' (use e.g. 4g or 512m)"
  n=${BASH_REMATCH[1]}
  unit=${BASH_REMATCH[2],,}
  case "$unit" in
    k) echo $((n / 1024)) ;;
    g) echo $((n * 1024)) ;;
    t) echo $((n * 1024 * 1024)) ;;
    *) echo "$n" ;;
  esac
}

# The native-BLAS settings for nodes with CPU class $1 (avx512 | avx2 | generic): sets MS_BLAS_FLAGS (JVM options)
# and MS_BLAS_CORETYPE (OPENBLAS_CORETYPE, empty = leave it unset). OpenBLAS 0.3.19 (nd4j-native M2.1) misdetects
# AVX-512 CPUs ("Prescott", 4-5x slower); an empty or unknown OPENBLAS_CORETYPE makes its DGEMM silently wrong (the
# BLAS self-check then stops the job with exit code 5); a core type the CPU cannot execute (SKYLAKEX on an AVX2-only
# node) crashes it. METASPARK_OPENBLAS_CORETYPE overrides the core type.
ms_blas_for() {
  MS_BLAS_FLAGS=""
  case "$1" in
    avx512)
      MS_BLAS_FLAGS=$(ms_prop jvm.blas.flags) # selects the linux-x86_64-onednn-avx512 native build
      MS_BLAS_CORETYPE=$(ms_prop openblas.coretype)
      ;;
    avx2) MS_BLAS_CORETYPE=HASWELL ;;
    generic) MS_BLAS_CORETYPE="" ;; # OpenBLAS's own detection: correct, maybe slow
    *) ms_die 2 "METASPARK_CPU / METASPARK_DRIVER_CPU must be avx512, avx2 or generic, not '$1'" ;;
  esac
  if [[ -n "${METASPARK_OPENBLAS_CORETYPE+set}" ]]; then
    [[ -n "$METASPARK_OPENBLAS_CORETYPE" ]] ||
      ms_die 2 "METASPARK_OPENBLAS_CORETYPE is empty; an empty core type gives wrong DGEMM results (unset it instead)"
    MS_BLAS_CORETYPE=$METASPARK_OPENBLAS_CORETYPE
  fi
}

# The CPU class of this machine, detected as bin/metaspark does.
ms_local_cpu() {
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    echo avx512
  elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    echo avx2
  else
    echo generic
  fi
}

# Fills MS_CONF (an array of spark-submit options) with what every target shares; $1 is the deploy mode. Each script
# then appends its own options. Sets MS_DRIVER_CORETYPE for the scripts that pass the driver's environment
# themselves (YARN and Kubernetes cluster mode). In client mode the driver is started from this shell, on this
# machine: its BLAS settings follow this machine's CPU and are exported here.
ms_common_conf() {
  local mode=$1 jvm_flags executor_blas executor_coretype
  jvm_flags=$(ms_prop jvm.flags)
  [[ -n "$jvm_flags" ]] || ms_die 5 "no jvm.flags in jvm.properties"

  # Executors run on the cluster nodes, whose CPU the submitting machine cannot see: METASPARK_CPU declares it.
  ms_blas_for "${METASPARK_CPU:-avx512}"
  executor_blas=$MS_BLAS_FLAGS
  ms_gpus
  ((MS_GPUS == 0)) || executor_blas="" # the CUDA build has no -onednn-avx512 variant of its native libraries
  executor_coretype=$MS_BLAS_CORETYPE
  if [[ "$mode" == client ]]; then
    ms_blas_for "${METASPARK_DRIVER_CPU:-$(ms_local_cpu)}"
  else
    ms_blas_for "${METASPARK_DRIVER_CPU:-${METASPARK_CPU:-avx512}}"
  fi
  local driver_blas=$MS_BLAS_FLAGS
  # shellcheck disable=SC2034 # read by submit-yarn.sh and submit-k8s.sh for the driver's environment
  MS_DRIVER_CORETYPE=$MS_BLAS_CORETYPE

  # Memory. ND4J (JavaCPP) allocates its arrays and loads its native libraries (libnd4j, OpenBLAS, oneDNN: about
  # 300 MB per JVM) OFF the Java heap. YARN and Kubernetes kill a container whose resident memory exceeds
  # spark.executor.memory + spark.executor.memoryOverhead, so the overhead must hold all of that plus the JVM's own
  # non-heap memory (metaspace, thread stacks, Netty buffers). JavaCPP 1.5.7's defaults (maxbytes = heap size,
  # maxphysicalbytes = maxbytes + 3 x heap) are far larger than such a container; we cap them below its limit so ND4J first
  # frees garbage-collected arrays and then fails with a clear OutOfMemoryError instead of being killed.
  local heap overhead maxbytes physical
  heap=$(ms_to_mib "${METASPARK_EXECUTOR_MEMORY:-4g}")
  overhead=$(ms_to_mib "${METASPARK_EXECUTOR_OVERHEAD:-3g}")
  ((overhead >= 1536)) || ms_die 2 "METASPARK_EXECUTOR_OVERHEAD must be at least 1536m (ND4J's native libraries and arrays live there)"
  maxbytes=${METASPARK_ND4J_MAXBYTES:-$((overhead - 1024))m}
  physical=${METASPARK_ND4J_MAXPHYSICALBYTES:-$((heap + overhead - 384))m}

  local driver_opts="$jvm_flags $driver_blas ${METASPARK_EXTRA_JAVA_OPTS:-}"
  local executor_opts="$jvm_flags $executor_blas -Dorg.bytedeco.javacpp.maxbytes=$maxbytes"
  executor_opts+=" -Dorg.bytedeco.javacpp.maxphysicalbytes=$physical ${METASPARK_EXTRA_JAVA_OPTS:-}"

  MS_CONF=(
    --class "$MS_MAIN_CLASS"
    --driver-memory "${METASPARK_DRIVER_MEMORY:-4g}"
    --executor-memory "${heap}m"
    --executor-cores "${METASPARK_EXECUTOR_CORES:-4}"
    # Java 17: the --add-opens list Spark 3.5 needs (Kryo, Netty, StorageUtils), from conf/jvm.properties.
    --conf "spark.driver.extraJavaOptions=${driver_opts% }"
    --conf "spark.executor.extraJavaOptions=${executor_opts% }"
    --conf "spark.executor.memoryOverhead=${overhead}m"
    # Kryo with every class registered: an unregistered class fails loudly instead of being written with its full
    # name on every record. ND4J's Nd4jRegistrator (without it an INDArray deserializes with a null shape) and ours.
    --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
    --conf "spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator,ai.metaspark.spark.MetaSparkKryoRegistrator"
    --conf spark.kryo.registrationRequired=true
    --conf spark.kryoserializer.buffer.max=512m
    # One Spark task = one thread: each executor core runs one task, and native BLAS must not start its own
    # threads on top (OMP_NUM_THREADS=1), or N tasks x M BLAS threads fight over N cores.
    --conf spark.task.cpus=1
    --conf spark.executorEnv.OMP_NUM_THREADS=1
  )
  if [[ -n "$executor_coretype" ]]; then
    MS_CONF+=(--conf "spark.executorEnv.OPENBLAS_CORETYPE=$executor_coretype")
  fi
  # The driver's environment when this shell starts it (client mode; also standalone cluster mode, whose Worker
  # starts the driver with the submitting shell's environment).
  if [[ -n "$MS_DRIVER_CORETYPE" ]]; then
    export OPENBLAS_CORETYPE=$MS_DRIVER_CORETYPE
  else
    unset OPENBLAS_CORETYPE
  fi
  export OMP_NUM_THREADS=1

  if [[ "${METASPARK_AUTHENTICATE:-true}" == true ]]; then
    MS_CONF+=(--conf spark.authenticate=true)
  fi
}

# Sets MS_GPUS from METASPARK_GPUS (GPUs per executor, default 0); refuses anything but a whole number (exit 2).
ms_gpus() {
  MS_GPUS=${METASPARK_GPUS:-0}
  [[ "$MS_GPUS" =~ ^[0-9]+$ ]] || ms_die 2 "METASPARK_GPUS must be a whole number of GPUs per executor, not '$MS_GPUS'"
  MS_GPUS=$((10#$MS_GPUS))
}

# With METASPARK_GPUS > 0, appends Spark's GPU scheduling to MS_CONF for target $1 (standalone | yarn | k8s): each
# executor asks for that many GPUs and each task for one, so an executor runs at most one task per GPU. On YARN
# (yarn.io/gpu) the discovery script travels with --files; on Kubernetes (nvidia.com/gpu) it is in the image; a
# standalone cluster's Workers discover their GPUs themselves (spark.worker.resource.gpu.*, deploy/README.md).
ms_gpu_conf() {
  ((MS_GPUS > 0)) || return 0
  MS_CONF+=(--conf "spark.executor.resource.gpu.amount=$MS_GPUS" --conf spark.task.resource.gpu.amount=1)
  case "$1" in
    yarn) MS_CONF+=(--files "$MS_ROOT/deploy/gpu-discovery.sh"
      --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh) ;;
    k8s) MS_CONF+=(--conf spark.executor.resource.gpu.vendor=nvidia.com
      --conf spark.executor.resource.gpu.discoveryScript=/opt/metaspark/deploy/gpu-discovery.sh) ;;
    standalone) ;;
    *) ms_die 2 "ms_gpu_conf: unknown target '$1'" ;;
  esac
}

# Standalone: the secret must be the one the Master and Workers were started with. It goes to the driver through
# Spark's _SPARK_AUTH_SECRET environment variable, so it never shows in the process list (a --conf would).
ms_auth_secret_from_file() {
  [[ -n "${METASPARK_AUTH_SECRET_FILE:-}" ]] || return 0
  [[ -r "$METASPARK_AUTH_SECRET_FILE" ]] || ms_die 2 "cannot read METASPARK_AUTH_SECRET_FILE=$METASPARK_AUTH_SECRET_FILE"
  _SPARK_AUTH_SECRET=$(<"$METASPARK_AUTH_SECRET_FILE")
  export _SPARK_AUTH_SECRET
}

# Splits the arguments after the wrapper's own options into MS_COMMAND (train by default, or evaluate) and MS_ARGS,
# and refuses --master: the cluster manager is chosen by the wrapper, not by the CLI.
ms_app_args() {
  MS_COMMAND=train
  if [[ $# -gt 0 && ("$1" == train || "$1" == evaluate) ]]; then
    MS_COMMAND=$1
    shift
  fi
  local a
  for a in "$@"; do
    case "$a" in
      --master | --master=*) ms_die 2 "do not pass --master: spark-submit sets the master (see the script's usage)" ;;
    esac
  done
  MS_ARGS=("$@")
}

# In cluster deploy mode the driver runs on a cluster node: --config and --out must be paths it can read and write
# (hdfs://, s3a://, or a file baked into the image / present on every node).
ms_check_cluster_paths() {
  local prev="" a
  for a in "$@"; do
    if [[ "$prev" == --out || "$prev" == --run ]] && [[ "$a" != *://* ]]; then
      ms_warn "$prev $a is a local path; in cluster deploy mode the driver writes it on a cluster node (use hdfs:// or s3a://)"
    fi
    prev=$a
  done
}

# Runs (or with METASPARK_DRY_RUN=1 prints) spark-submit with the options built so far, the jar and the CLI command.
ms_submit() {
  local extra=()
  read -r -a extra <<<"${METASPARK_SUBMIT_OPTS:-}"
  local cmd=("$MS_SPARK_SUBMIT" "${MS_CONF[@]}" "${extra[@]}" "$MS_JAR" "$MS_COMMAND" "${MS_ARGS[@]}")
  if [[ "${METASPARK_DRY_RUN:-0}" == 1 ]]; then
    printf '%q ' "${cmd[@]}"
    echo
    return 0
  fi
  exec "${cmd[@]}"
}

# ms_handle_help ARGS...: the calling script's usage (its own `usage` function) and exit 2 without arguments,
# or exit 0 for -h / --help.
ms_handle_help() {
  if [[ $# -eq 0 ]]; then
    usage >&2
    exit 2
  fi
  if [[ "$1" == -h || "$1" == --help ]]; then
    usage
    exit 0
  fi
}
