#!/usr/bin/env bash
# Local dev/CI stack without Docker: PostgreSQL + Redis (the machine's own,
# started if installed but stopped) and a single-node KRaft Kafka broker run
# from Maven Central jars (infra/kafka/pom.xml).
#
#   bash infra/stack.sh up       # idempotent; ~instant when everything answers
#   bash infra/stack.sh status   # one line per service; exit 0 only if all up
#   bash infra/stack.sh down     # stops the Kafka broker this script started
#
# Env: STACK_DIR (default <repo>/.stack), KAFKA_PORT (9092),
#      KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m),
#      KAFKA_START_TIMEOUT (60 s), PG_PORT (5432), REDIS_PORT (6379),
#      STACK_KAFKA=external  -> never start/stop Kafka, only check it answers
#                               (e.g. the kafka service of docker-compose.yml).
# Why Kafka 3.9.x: docs/decisions/0001-kafka-version.md
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$REPO_DIR/.stack}
HOST=127.0.0.1
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_HEAP=${KAFKA_HEAP:-512m}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-60}
STACK_KAFKA=${STACK_KAFKA:-local}

POM=$REPO_DIR/infra/kafka/pom.xml
KAFKA_DIR=$STACK_DIR/kafka
LIBS=$KAFKA_DIR/libs
DATA=$KAFKA_DIR/data
LOGS=$STACK_DIR/logs
PIDFILE=$KAFKA_DIR/kafka.pid
PROPS=$KAFKA_DIR/server.properties

say() { printf 'stack: %s\n' "$*"; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
now() { echo "${EPOCHREALTIME/[,.]/}"; } # microseconds
secs_since() { local d=$(( $(now) - $1 )); printf '%d.%d' $((d / 1000000)) $((d % 1000000 / 100000)); }
tcp_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# ---------------------------------------------------------------- postgres
pg_up() {
  if have pg_isready; then pg_isready -q -h "$HOST" -p "$PG_PORT" -t 2; else tcp_open "$HOST" "$PG_PORT"; fi
}

pg_ensure() {
  if pg_up; then say "postgres up on $HOST:$PG_PORT (machine's)"; return; fi
  local ver=""
  [ -d /etc/postgresql ] && ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  if [ -z "$ver" ] || ! have pg_ctlcluster; then
    die "postgres: nothing answers on $HOST:$PG_PORT and PostgreSQL is not installed; run: apt-get install postgresql   (or start your own on $HOST:$PG_PORT)"
  fi
  if pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
    die "postgres $ver/main is running but nothing answers on $HOST:$PG_PORT (check its port/listen_addresses, or set PG_PORT)"
  fi
  say "postgres $ver/main is stopped: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start \
    || die "postgres: 'pg_ctlcluster $ver main start' failed (see /var/log/postgresql/postgresql-$ver-main.log)"
  for _ in $(seq 1 30); do pg_up && { say "postgres up on $HOST:$PG_PORT"; return; }; sleep 0.5; done
  die "postgres $ver/main started but $HOST:$PG_PORT does not answer (is it configured for another port?)"
}

# ------------------------------------------------------------------- redis
redis_up() {
  if have redis-cli; then
    [ "$(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    tcp_open "$HOST" "$REDIS_PORT"
  fi
}

redis_ensure() {
  if redis_up; then say "redis up on $HOST:$REDIS_PORT (machine's)"; return; fi
  have redis-server || die "redis: nothing answers on $HOST:$REDIS_PORT and redis-server is not installed; run: apt-get install redis-server"
  mkdir -p "$LOGS" "$STACK_DIR/redis"
  say "redis not running: starting redis-server (no persistence, log $LOGS/redis.log)"
  redis-server --daemonize yes --bind "$HOST" -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$STACK_DIR/redis" --logfile "$LOGS/redis.log" >/dev/null \
    || die "redis: redis-server failed to start (see $LOGS/redis.log)"
  for _ in $(seq 1 20); do redis_up && { say "redis up on $HOST:$REDIS_PORT"; return; }; sleep 0.25; done
  die "redis: started but $HOST:$REDIS_PORT does not answer PING (see $LOGS/redis.log)"
}

# ------------------------------------------------------------------- kafka
# A real Kafka protocol round trip: ApiVersions v0 request, expect our
# correlation id back with error_code 0. Port-open alone is not enough.
kafka_answers() {
  local hex
  hex=$(timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$KAFKA_PORT || exit 1
    printf '\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x07\x00\x05stack' >&3
    head -c 10 <&3" 2>/dev/null | od -An -tx1 | tr -d ' \n') || true
  [ "${hex:8:12}" = 000000070000 ]
}

# pid of the broker this STACK_DIR runs, from the pid file (verified against
# /proc so a recycled pid is not mistaken for it), else empty.
kafka_pid() {
  local pid cmd
  [ -f "$PIDFILE" ] || return 0
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  if [[ "$cmd" == *"kafka.Kafka $PROPS"* ]]; then echo "$pid"; fi
}

jars_ensure() {
  local stamp want
  want=$(sha256sum "$POM" | cut -d' ' -f1)
  stamp=$(cat "$LIBS/.pom.sha256" 2>/dev/null || true)
  if [ "$stamp" = "$want" ] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
    say "kafka jars $(kafka_version) cached in $LIBS"
    return
  fi
  have mvn || die "kafka: Maven is needed once to fetch the jars; run: apt-get install maven"
  say "kafka jars: fetching with Maven (once; log $LOGS/mvn.log)"
  local t0; t0=$(now)
  rm -rf "$LIBS.tmp"
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS.tmp" >"$LOGS/mvn.log" 2>&1; then
    tail -n 20 "$LOGS/mvn.log" >&2
    die "kafka: mvn dependency:copy-dependencies failed (full log: $LOGS/mvn.log)"
  fi
  echo "$want" >"$LIBS.tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
  say "kafka jars $(kafka_version) copied to $LIBS ($(ls "$LIBS"/*.jar | wc -l) jars, $(secs_since "$t0") s)"
}

kafka_version() {
  local j
  j=$(compgen -G "$LIBS/kafka_2.13-*.jar" | head -n1 || true)
  j=${j##*/kafka_2.13-}; echo "${j%.jar}"
}

write_config() {
  cat >"$PROPS.tmp" <<EOF
# generated by infra/stack.sh -- edits are overwritten on the next 'up'
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

num.network.threads=2
num.io.threads=4
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10

# keep the disk in check: 24 h or 1 GiB per partition, 64 MiB segments
log.retention.hours=24
log.retention.bytes=1073741824
log.segment.bytes=67108864
log.retention.check.interval.ms=300000
# default 128 MiB would take a quarter of a 512 MiB heap
log.cleaner.dedupe.buffer.size=33554432
EOF
  mv "$PROPS.tmp" "$PROPS"

  cat >"$KAFKA_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOGS/kafka.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=3
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel\$=WARN
log4j.logger.state.change.logger=INFO
log4j.logger.kafka.authorizer.logger=INFO
EOF

  # for the CLI tools: java -Dlog4j.configuration=file:$KAFKA_DIR/tools-log4j.properties -cp '$LIBS/*' ...
  cat >"$KAFKA_DIR/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# Kafka cluster ids are 16 random bytes in URL-safe base64 without padding;
# like Uuid.randomUuid(), avoid a leading '-' (CLI parsers choke on it).
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [ "${id:0:1}" != - ] && { echo "$id"; return; }
  done
}

format_once() {
  if [ -f "$DATA/meta.properties" ]; then
    say "kafka log dir already formatted (cluster $(sed -n 's/^cluster.id=//p' "$DATA/meta.properties"))"
    return
  fi
  [ -s "$KAFKA_DIR/cluster.id" ] || new_cluster_id >"$KAFKA_DIR/cluster.id"
  local cid; cid=$(cat "$KAFKA_DIR/cluster.id")
  say "kafka: formatting $DATA (cluster $cid)"
  mkdir -p "$DATA"
  java -Dlog4j.configuration="file:$KAFKA_DIR/tools-log4j.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$cid" -c "$PROPS" >"$LOGS/kafka-format.log" 2>&1 \
    || { cat "$LOGS/kafka-format.log" >&2; die "kafka: StorageTool format failed"; }
}

kafka_ensure() {
  if [ "$STACK_KAFKA" = external ]; then
    kafka_answers && { say "kafka (external) answers on $HOST:$KAFKA_PORT"; return; }
    die "kafka (STACK_KAFKA=external): nothing answers the Kafka protocol on $HOST:$KAFKA_PORT; start it (e.g. docker compose up -d kafka) or unset STACK_KAFKA"
  fi
  local pid; pid=$(kafka_pid)
  if [ -n "$pid" ] && kafka_answers; then
    say "kafka up on $HOST:$KAFKA_PORT (pid $pid, already running)"
    return
  fi
  if [ -n "$pid" ]; then
    # ours but not (yet) answering: another 'up' is starting it, or it hangs
    say "kafka pid $pid exists but does not answer yet: waiting"
    wait_kafka "$pid" "$(now)" 0
    return
  fi
  if [ -f "$PIDFILE" ]; then say "kafka: stale pid file ($(cat "$PIDFILE" 2>/dev/null)): removing"; rm -f "$PIDFILE"; fi
  if kafka_answers; then
    # e.g. the broker of another checkout of this project: share it, as with PostgreSQL and Redis
    say "kafka answers on $HOST:$KAFKA_PORT (started elsewhere): using it"
    return
  fi
  if tcp_open "$HOST" "$KAFKA_PORT"; then
    die "kafka: something that is not Kafka listens on $HOST:$KAFKA_PORT; stop it or set KAFKA_PORT"
  fi
  have java || die "kafka: java not found; run: apt-get install openjdk-17-jre-headless"

  jars_ensure
  write_config
  format_once

  local offset=0 t0
  [ -f "$LOGS/kafka.log" ] && offset=$(stat -c %s "$LOGS/kafka.log")
  t0=$(now)
  (
    cd "$KAFKA_DIR"
    exec 9>&- # do not hand the stack.sh lock to the broker
    exec setsid nohup java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dkafka.logs.dir="$LOGS" \
      -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
      -cp "$LIBS/*" kafka.Kafka "$PROPS" >"$LOGS/kafka.out" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_kafka "$pid" "$t0" "$offset"
}

# wait until the broker logged "Kafka Server started" (after byte $3 of the
# log) and answers an ApiVersions request; fail fast if the process dies.
wait_kafka() {
  local pid=$1 t0=$2 offset=$3 started=0 tty=0 last=-1 el
  [ -t 1 ] && tty=1
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      [ $tty = 1 ] && printf '\n'
      rm -f "$PIDFILE"
      { echo "--- tail $LOGS/kafka.out"; tail -n 15 "$LOGS/kafka.out" 2>/dev/null || true
        echo "--- tail $LOGS/kafka.log (this start)"
        tail -c +$((offset + 1)) "$LOGS/kafka.log" 2>/dev/null | tail -n 25 || true; } >&2
      die "kafka: broker process $pid exited during startup"
    fi
    if [ $started = 0 ] && [ -f "$LOGS/kafka.log" ]; then
      local size; size=$(stat -c %s "$LOGS/kafka.log")
      [ "$size" -lt "$offset" ] && offset=0 # rolled over
      grep -q 'Kafka Server started' < <(tail -c +$((offset + 1)) "$LOGS/kafka.log") && started=1
    fi
    if [ $started = 1 ] && kafka_answers; then
      [ $tty = 1 ] && printf '\r\033[K'
      say "kafka up on $HOST:$KAFKA_PORT (pid $pid, $(secs_since "$t0") s)"
      return
    fi
    el=$(( ($(now) - t0) / 1000000 ))
    if [ "$el" -ge "$KAFKA_START_TIMEOUT" ]; then
      [ $tty = 1 ] && printf '\n'
      { tail -c +$((offset + 1)) "$LOGS/kafka.log" 2>/dev/null | tail -n 25 || true; } >&2
      die "kafka: pid $pid not serving after ${KAFKA_START_TIMEOUT} s (still running; 'bash infra/stack.sh down' to stop it; log $LOGS/kafka.log)"
    fi
    if [ "$el" != "$last" ]; then
      if [ $tty = 1 ]; then printf '\rstack: kafka starting (pid %s) %ss ' "$pid" "$el"
      elif [ $((el % 10)) = 0 ]; then say "kafka starting (pid $pid) ${el}s"; fi
    fi
    last=$el
    sleep 0.25
  done
}

kafka_stop() {
  if [ "$STACK_KAFKA" = external ]; then say "kafka is external (STACK_KAFKA=external): not stopping it"; return; fi
  local pid; pid=$(kafka_pid)
  if [ -z "$pid" ]; then
    [ -f "$PIDFILE" ] && { say "kafka: removing stale pid file"; rm -f "$PIDFILE"; }
    say "kafka already stopped"
    return
  fi
  local t0; t0=$(now)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "kafka pid $pid still running after 20 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$PIDFILE"
  say "kafka stopped (pid $pid, $(secs_since "$t0") s; data kept in $DATA)"
}

# ----------------------------------------------------------------- commands
lock() {
  mkdir -p "$KAFKA_DIR" "$LOGS"
  if have flock; then
    exec 9>"$STACK_DIR/.lock"
    flock -w 120 9 || die "another 'stack.sh' holds $STACK_DIR/.lock"
  fi
}

cmd_up() {
  local t0; t0=$(now)
  lock
  pg_ensure
  redis_ensure
  kafka_ensure
  say "ready in $(secs_since "$t0") s: postgres $HOST:$PG_PORT, redis $HOST:$REDIS_PORT, kafka $HOST:$KAFKA_PORT"
}

cmd_down() {
  lock
  kafka_stop
  say "postgres and redis left running (they belong to the machine, not to this script)"
}

cmd_status() {
  local rc=0 pid
  if pg_up; then printf '%-9s up    %s\n' postgres "$HOST:$PG_PORT"; else printf '%-9s down  %s\n' postgres "$HOST:$PG_PORT"; rc=1; fi
  if redis_up; then printf '%-9s up    %s\n' redis "$HOST:$REDIS_PORT"; else printf '%-9s down  %s\n' redis "$HOST:$REDIS_PORT"; rc=1; fi
  if [ "$STACK_KAFKA" = external ]; then
    if kafka_answers; then printf '%-9s up    %s external\n' kafka "$HOST:$KAFKA_PORT"
    else printf '%-9s down  %s external\n' kafka "$HOST:$KAFKA_PORT"; rc=1; fi
  else
    pid=$(kafka_pid)
    if [ -n "$pid" ] && kafka_answers; then printf '%-9s up    %s pid %s\n' kafka "$HOST:$KAFKA_PORT" "$pid"
    elif [ -n "$pid" ]; then printf '%-9s down  %s pid %s running but not answering\n' kafka "$HOST:$KAFKA_PORT" "$pid"; rc=1
    else printf '%-9s down  %s\n' kafka "$HOST:$KAFKA_PORT"; rc=1; fi
  fi
  return $rc
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: bash infra/stack.sh up|down|status" >&2; exit 2 ;;
esac
