#!/usr/bin/env bash
# Static and dry-run checks of the deployment kit; needs no cluster, no Spark and no build (tools: .ci/install-tools).
#   1. bash -n and shellcheck on every shell script of deploy/, notebooks/ and .ci/install-tools;
#   2. every YAML manifest under deploy/ parses (python3 + PyYAML); every SparkApplication and
#      ScheduledSparkApplication names ai.metaspark.cli.MetaSparkCli and the jar the Dockerfile installs, carries
#      the --add-opens list of conf/jvm.properties and the Kryo settings; the scheduled one resumes, never overlaps;
#   3. each submit-*.sh, run against a stub spark-submit, passes the main class, the jar, the --add-opens list, the
#      Kryo and BLAS settings and the CLI arguments unchanged, and refuses bad input with exit code 2 or 5.
# Exits 1 if anything fails, after running every check.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "ok:   $*"; }

main_class=ai.metaspark.cli.MetaSparkCli
image_jar=local:///opt/metaspark/jars/metaspark-spark-jobs-cluster.jar

# --- 1. shell scripts ------------------------------------------------------------------------------------------
scripts=()
while IFS= read -r f; do scripts+=("$f"); done < <(
  {
    find deploy notebooks -type f -name '*.sh'
    [[ -f .ci/install-tools ]] && echo .ci/install-tools
  } | sort
)
command -v shellcheck >/dev/null || fail "shellcheck is not installed (run .ci/install-tools)"
for f in "${scripts[@]}"; do
  if bash -n "$f"; then pass "bash -n $f"; else fail "bash -n $f"; fi
  if command -v shellcheck >/dev/null; then
    if shellcheck -x "$f"; then pass "shellcheck $f"; else fail "shellcheck $f"; fi
  fi
done

# --- 2. YAML manifests -----------------------------------------------------------------------------------------
python=""
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then
    python=$p
    break
  fi
done
if [[ -z "$python" ]]; then
  fail "no python3 with PyYAML (Debian: python3-yaml; run .ci/install-tools)"
else
  # grep -q, not a pipe into grep -q: with pipefail, grep closing the pipe early can fail the pipeline.
  if ! grep -q "/opt/metaspark/jars/metaspark-spark-jobs-cluster.jar" deploy/k8s/Dockerfile; then
    fail "deploy/k8s/Dockerfile does not install the jar at ${image_jar#local://}"
  fi
  if "$python" - "$main_class" "$image_jar" conf/jvm.properties <<'EOF'; then
import glob, sys, yaml

main_class, jar, props = sys.argv[1:4]
flags = {}
for line in open(props):
    if "=" in line and not line.lstrip().startswith("#"):
        k, v = line.rstrip("\n").split("=", 1)
        flags[k] = v.split()
bad = 0

def fail(msg):
    global bad
    bad += 1
    print("FAIL: " + msg, file=sys.stderr)

def check_app(where, spec, scheduled):
    if spec.get("type") != "Java":
        fail(f"{where}: spec.type must be Java")
    if spec.get("mainClass") != main_class:
        fail(f"{where}: mainClass is {spec.get('mainClass')!r}, not {main_class}")
    if spec.get("mainApplicationFile") != jar:
        fail(f"{where}: mainApplicationFile is {spec.get('mainApplicationFile')!r}, not {jar}")
    args = [str(a) for a in spec.get("arguments") or []]
    if not args or args[0] != "train" or "--config" not in args or "--out" not in args:
        fail(f"{where}: arguments must be train --config ... --out ..., got {args}")
    if "--master" in args:
        fail(f"{where}: --master in arguments (the operator sets the master)")
    conf = {k: str(v) for k, v in (spec.get("sparkConf") or {}).items()}
    for role in ("driver", "executor"):
        opts = conf.get(f"spark.{role}.extraJavaOptions", "").split()
        missing = [f for f in flags.get("jvm.flags", []) if f not in opts]
        if missing:
            fail(f"{where}: spark.{role}.extraJavaOptions lacks {missing} from {props}")
    want = {"spark.serializer": "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator": "org.nd4j.kryo.Nd4jRegistrator,ai.metaspark.spark.MetaSparkKryoRegistrator",
            "spark.kryo.registrationRequired": "true",
            "spark.executorEnv.OMP_NUM_THREADS": "1"}
    for k, v in want.items():
        if conf.get(k) != v:
            fail(f"{where}: sparkConf {k} is {conf.get(k)!r}, not {v!r}")
    for k in ("spark.executorEnv.OPENBLAS_CORETYPE", "spark.kubernetes.driverEnv.OPENBLAS_CORETYPE"):
        if k in conf and not conf[k].strip():
            fail(f"{where}: {k} is empty (OpenBLAS then computes wrong DGEMM results)")
    if not (spec.get("executor") or {}).get("memoryOverhead"):
        fail(f"{where}: executor.memoryOverhead not set (ND4J allocates off-heap)")
    if not (spec.get("driver") or {}).get("serviceAccount"):
        fail(f"{where}: driver.serviceAccount not set")
    if scheduled:
        if "--resume" not in args:
            fail(f"{where}: a scheduled run must pass --resume")
        out = args[args.index("--out") + 1] if "--out" in args[:-1] else ""
        if not out.startswith(("hdfs://", "s3a://", "s3://", "gs://", "abfs://", "abfss://")):
            fail(f"{where}: --out {out!r} is not on shared storage")

files = sorted(glob.glob("deploy/**/*.yaml", recursive=True) + glob.glob("deploy/**/*.yml", recursive=True))
apps = 0
for path in files:
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    except yaml.YAMLError as e:
        fail(f"{path}: does not parse: {e}")
        continue
    for i, d in enumerate(docs):
        where = f"{path}#{i}"
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            fail(f"{where}: not a Kubernetes object (kind/apiVersion missing)")
            continue
        if d["kind"] == "SparkApplication":
            apps += 1
            check_app(where, d.get("spec") or {}, scheduled=False)
        elif d["kind"] == "ScheduledSparkApplication":
            apps += 1
            spec = d.get("spec") or {}
            if spec.get("concurrencyPolicy") != "Forbid":
                fail(f"{where}: concurrencyPolicy must be Forbid")
            if not spec.get("schedule"):
                fail(f"{where}: no schedule")
            check_app(where, spec.get("template") or {}, scheduled=True)
        if d["kind"] in ("SparkApplication", "ScheduledSparkApplication") and \
                d["apiVersion"] != "sparkoperator.k8s.io/v1beta2":
            fail(f"{where}: apiVersion {d['apiVersion']}, want sparkoperator.k8s.io/v1beta2")
    print(f"ok:   yaml {path}: {', '.join(str(d.get('kind')) for d in docs if isinstance(d, dict))}")
if apps == 0:
    fail("no SparkApplication manifest found under deploy/")
sys.exit(1 if bad else 0)
EOF
    pass "manifests name $main_class and $image_jar, match conf/jvm.properties"
  else
    fail "manifest checks"
  fi
fi

# --- 3. submit wrappers against a stub spark-submit ------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/spark/bin" "$tmp/hadoop"
cat >"$tmp/spark/bin/spark-submit" <<'EOF'
#!/usr/bin/env bash
# Stub: one argument per line, then the environment the driver would get.
printf '%s\n' "$@"
echo "ENV OMP_NUM_THREADS=${OMP_NUM_THREADS-unset}"
EOF
chmod +x "$tmp/spark/bin/spark-submit"
touch "$tmp/app.jar"
add_opens=$(sed -n 's/^jvm.flags=//p' conf/jvm.properties)

# expect_line FILE LINE: FILE has LINE exactly, or (for "~PREFIX") a line starting with PREFIX.
expect_line() {
  if [[ "$2" == "~"* ]]; then
    grep -q -F -- "${2#\~}" "$1"
  else
    grep -q -x -F -- "$2" "$1"
  fi
}

# try NAME EXPECTED_RC COMMAND...: runs COMMAND with the stub Spark; on rc 0 checks the command line it built.
try() {
  local name=$1 want=$2 rc=0 before=$failures
  shift 2
  env SPARK_HOME="$tmp/spark" METASPARK_JAR="$tmp/app.jar" HADOOP_CONF_DIR="$tmp/hadoop" "$@" \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [[ $rc -ne $want ]]; then
    fail "$name: exit code $rc, expected $want ($(head -c 300 "$tmp/err"))"
    return
  fi
  if [[ $want -eq 0 ]]; then
    local line
    for line in --class "$main_class" train --config conf/sinusoid-maml.yaml --out hdfs://nn/runs/x --set \
      "meta_steps=5 extra" spark.serializer=org.apache.spark.serializer.KryoSerializer \
      spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator,ai.metaspark.spark.MetaSparkKryoRegistrator spark.kryo.registrationRequired=true \
      spark.executorEnv.OMP_NUM_THREADS=1 "~spark.executor.memoryOverhead=" \
      "~spark.driver.extraJavaOptions=$add_opens" "~spark.executor.extraJavaOptions=$add_opens" \
      "~-Dorg.bytedeco.javacpp.maxphysicalbytes=" "ENV OMP_NUM_THREADS=1"; do
      expect_line "$tmp/out" "$line" || fail "$name: spark-submit did not get '$line'"
    done
    # The jar must come right before the CLI command.
    grep -A1 -x -F "$tmp/app.jar" "$tmp/out" | grep -q -x train || fail "$name: jar not followed by 'train'"
  fi
  [[ $failures -gt $before ]] || pass "$name"
}

args=(--config conf/sinusoid-maml.yaml --out hdfs://nn/runs/x --set "meta_steps=5 extra")
sa=deploy/submit-standalone.sh
yarn=deploy/submit-yarn.sh
k8s=deploy/submit-k8s.sh
try "standalone client" 0 METASPARK_MASTER=spark://m:7077 "$sa" "${args[@]}"
try "standalone cluster" 0 METASPARK_MASTER=spark://m:7077 METASPARK_DEPLOY_MODE=cluster "$sa" "${args[@]}"
try "yarn client" 0 "$yarn" --client "${args[@]}"
try "yarn cluster" 0 "$yarn" --cluster train "${args[@]}"
expect_line "$tmp/out" spark.yarn.appMasterEnv.OMP_NUM_THREADS=1 || fail "yarn cluster: no OMP_NUM_THREADS for the AM"
try "k8s" 0 METASPARK_K8S_MASTER=k8s://https://api:6443 METASPARK_IMAGE=r/metaspark:1 "$k8s" "${args[@]}"
try "k8s avx2" 0 METASPARK_CPU=avx2 METASPARK_K8S_MASTER=k8s://https://api:6443 METASPARK_IMAGE=r/m:1 "$k8s" "${args[@]}"
expect_line "$tmp/out" spark.executorEnv.OPENBLAS_CORETYPE=HASWELL || fail "k8s avx2: no OPENBLAS_CORETYPE=HASWELL"
if grep -q -F -- "-onednn-avx512" "$tmp/out"; then fail "k8s avx2: still selects the AVX-512 native build"; fi
try "yarn gpus" 0 METASPARK_GPUS=2 "$yarn" "${args[@]}"
for line in spark.executor.resource.gpu.amount=2 spark.task.resource.gpu.amount=1 --files "$root/deploy/gpu-discovery.sh" \
  spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh; do
  expect_line "$tmp/out" "$line" || fail "yarn gpus: spark-submit did not get '$line'"
done
if grep -F -- "spark.executor.extraJavaOptions=" "$tmp/out" | grep -q -F -- "-onednn-avx512"; then
  fail "yarn gpus: executors still select the CPU-only onednn-avx512 native build"
fi
try "k8s gpus" 0 METASPARK_GPUS=1 METASPARK_K8S_MASTER=k8s://https://api:6443 METASPARK_IMAGE=r/m:1 "$k8s" "${args[@]}"
for line in spark.executor.resource.gpu.amount=1 spark.executor.resource.gpu.vendor=nvidia.com \
  spark.executor.resource.gpu.discoveryScript=/opt/metaspark/deploy/gpu-discovery.sh; do
  expect_line "$tmp/out" "$line" || fail "k8s gpus: spark-submit did not get '$line'"
done
grep -q -F "deploy/gpu-discovery.sh /opt/metaspark/deploy/gpu-discovery.sh" deploy/k8s/Dockerfile ||
  fail "deploy/k8s/Dockerfile does not put the GPU discovery script where submit-k8s.sh points"
try "standalone gpus" 0 METASPARK_GPUS=4 METASPARK_MASTER=spark://m:7077 "$sa" "${args[@]}"
expect_line "$tmp/out" spark.executor.resource.gpu.amount=4 || fail "standalone gpus: no executor GPU amount"
if grep -q -F -- "discoveryScript" "$tmp/out"; then fail "standalone gpus: a discovery script (the Workers discover)"; fi
try "no gpus: no GPU resources" 0 METASPARK_MASTER=spark://m:7077 "$sa" "${args[@]}"
if grep -q -F -- "resource.gpu" "$tmp/out"; then fail "no gpus: GPU resources requested"; fi
try "bad METASPARK_GPUS -> 2" 2 METASPARK_GPUS=two "$yarn" "${args[@]}"
mkdir -p "$tmp/nvidia"
printf '#!/usr/bin/env bash\nprintf "0\\n1\\n"\n' >"$tmp/nvidia/nvidia-smi"
chmod +x "$tmp/nvidia/nvidia-smi"
if [[ "$(PATH="$tmp/nvidia:$PATH" deploy/gpu-discovery.sh)" == '{"name": "gpu", "addresses": ["0", "1"]}' ]]; then
  pass "gpu-discovery.sh lists two GPUs"
else
  fail "gpu-discovery.sh: $(PATH="$tmp/nvidia:$PATH" deploy/gpu-discovery.sh 2>&1 | head -c 200)"
fi
if PATH=/nonexistent /bin/bash deploy/gpu-discovery.sh >/dev/null 2>&1; then fail "gpu-discovery.sh without nvidia-smi: exit 0"; else pass "gpu-discovery.sh without nvidia-smi fails"; fi
for bad in "--train-seconds x" "--train-seconds 0" "--frobnicate"; do
  rc=0
  # shellcheck disable=SC2086 # the option and its value, split on purpose
  deploy/gpu-check.sh $bad "$tmp/gpu-check" >/dev/null 2>&1 || rc=$?
  if [[ $rc -eq 2 ]]; then pass "gpu-check.sh $bad -> 2"; else fail "gpu-check.sh $bad: exit code $rc, expected 2"; fi
done
try "no arguments -> usage, 2" 2 METASPARK_MASTER=spark://m:7077 "$sa"
try "no master -> 2" 2 "$sa" "${args[@]}"
try "--master passed through -> 2" 2 METASPARK_MASTER=spark://m:7077 "$sa" --master local "${args[@]}"
try "empty core type -> 2" 2 METASPARK_OPENBLAS_CORETYPE= METASPARK_MASTER=spark://m:7077 "$sa" "${args[@]}"
try "bad memory size -> 2" 2 METASPARK_EXECUTOR_MEMORY=lots "$yarn" "${args[@]}"
try "missing jar -> 5" 5 METASPARK_JAR="$tmp/none.jar" "$yarn" "${args[@]}"
try "missing spark-submit -> 5" 5 SPARK_HOME="$tmp/nospark" "$yarn" "${args[@]}"
try "no HADOOP_CONF_DIR -> 5" 5 HADOOP_CONF_DIR= "$yarn" "${args[@]}"
try "k8s without image -> 2" 2 METASPARK_K8S_MASTER=k8s://https://api:6443 "$k8s" "${args[@]}"

if [[ $failures -gt 0 ]]; then
  echo "deploy/check.sh: $failures check(s) failed" >&2
  exit 1
fi
echo "deploy/check.sh: all checks passed"
