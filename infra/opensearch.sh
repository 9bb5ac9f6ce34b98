#!/usr/bin/env bash
# The catalog's search engine for SEARCH_ENGINE=elasticsearch: a single-node OpenSearch 2.19 run from Maven
# Central jars (infra/opensearch/pom.xml) by a small launcher (infra/opensearch/FlashlineSearchNode.java).
#
#   bash infra/opensearch.sh up       # idempotent; fetches the jars once (Maven), compiles the launcher, starts
#   bash infra/opensearch.sh status   # exit 0 when it answers
#   bash infra/opensearch.sh down     # stops the node this script started
#
# Env: STACK_DIR (default <repo>/.stack), SEARCH_PORT (9200), SEARCH_HEAP (1g), SEARCH_START_TIMEOUT (90 s).
# Needs Java 17 (java, javac) and Maven.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$REPO_DIR/.stack}
PORT=${SEARCH_PORT:-9200}
HEAP=${SEARCH_HEAP:-1g}
TIMEOUT=${SEARCH_START_TIMEOUT:-90}
SRC=$REPO_DIR/infra/opensearch
DIR=$STACK_DIR/opensearch
LIBS=$DIR/libs
CLASSES=$DIR/classes
HOME_DIR=$DIR/home
LOGS=$STACK_DIR/logs
PIDFILE=$DIR/opensearch.pid
URL=http://127.0.0.1:$PORT

say() { printf 'opensearch: %s\n' "$*"; }
die() { printf 'opensearch: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
answers() { curl -fsS -m 2 "$URL" >/dev/null 2>&1; }

pid() {
  [ -f "$PIDFILE" ] || return 0
  local p; p=$(cat "$PIDFILE")
  if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' < "/proc/$p/cmdline" | grep -q "FlashlineSearchNode $HOME_DIR"; then echo "$p"; fi
}

fetch() {
  local stamp="$LIBS/.pom.sha"
  local want; want=$(sha256sum "$SRC/pom.xml" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  have mvn || die "Maven is needed once to fetch the jars; run: apt-get install maven"
  say "fetching jars with Maven (once; log $LOGS/opensearch-mvn.log)"
  rm -rf "$LIBS"; mkdir -p "$LIBS" "$LOGS"
  mvn -q -f "$SRC/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS" > "$LOGS/opensearch-mvn.log" 2>&1 \
    || die "mvn dependency:copy-dependencies failed (log: $LOGS/opensearch-mvn.log)"
  echo "$want" > "$stamp"
}

compile() {
  local class=$CLASSES/FlashlineSearchNode.class
  if [ -f "$class" ] && [ "$class" -nt "$SRC/FlashlineSearchNode.java" ] && [ "$class" -nt "$LIBS/.pom.sha" ]; then return; fi
  have javac || die "javac (a JDK 17) is needed to compile the launcher"
  mkdir -p "$CLASSES"
  javac -cp "$LIBS/*" -d "$CLASSES" "$SRC/FlashlineSearchNode.java"
}

up() {
  if answers; then say "up on $URL"; return; fi
  [ -n "$(pid)" ] && die "a node started by this script runs (pid $(pid)) but does not answer on $URL; see $LOGS/opensearch.log"
  have java || die "Java 17 is needed; run: apt-get install openjdk-17-jdk-headless"
  fetch
  compile
  mkdir -p "$HOME_DIR" "$LOGS"
  say "starting on $URL (heap $HEAP, log $LOGS/opensearch.log)"
  nohup java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
    -Dlog4j2.disable.jmx=true -cp "$CLASSES:$LIBS/*" FlashlineSearchNode "$HOME_DIR" "$PORT" \
    > "$LOGS/opensearch.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 "$TIMEOUT"); do
    if answers; then say "up on $URL"; return; fi
    [ -n "$(pid)" ] || die "the node exited; see $LOGS/opensearch.log"
    sleep 1
  done
  die "no answer on $URL after $TIMEOUT s; see $LOGS/opensearch.log"
}

down() {
  local p; p=$(pid)
  if [ -z "$p" ]; then say "not running (started by this script)"; return; fi
  kill "$p"
  for _ in $(seq 1 30); do [ -d "/proc/$p" ] || break; sleep 1; done
  rm -f "$PIDFILE"
  say "stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) if answers; then say "up on $URL"; else say "down"; exit 1; fi ;;
  *) die "usage: $0 up|down|status" ;;
esac
