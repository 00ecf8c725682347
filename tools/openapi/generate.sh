#!/usr/bin/env bash
# Generates a TypeScript client (typescript-fetch) from an OpenAPI document with OpenAPI Generator.
#
#   tools/openapi/generate.sh validate <document>            validate the document; exit 1 on errors
#   tools/openapi/generate.sh client <document> <output dir> generate the client into <output dir> (replaced)
#
# <document> is a file path or an http(s) URL. The CLI jar comes from Maven Central via
# tools/openapi/pom.xml and is cached in <repo>/.cache/openapi/libs. Needs Java 11+ and, once, Maven.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
LIBS_DIR="$REPO_ROOT/.cache/openapi/libs"
JAR="$LIBS_DIR/openapi-generator-cli.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { printf '[openapi] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../maven/fetch-jars.sh
source "$REPO_ROOT/tools/maven/fetch-jars.sh"

ensure_jar() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 11+; set JAVA_HOME or PATH)"
  fetch_jars "the OpenAPI Generator CLI" "$POM" "$LIBS_DIR" dependency:copy
}

# Short-lived JVM: C1 only and the serial GC start noticeably faster.
generator() { "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR" "$@"; }

case "${1:-}" in
  validate)
    [[ $# -eq 2 ]] || die "usage: $0 validate <document>"
    ensure_jar
    generator validate --input-spec "$2"
    ;;
  client)
    [[ $# -eq 3 ]] || die "usage: $0 client <document> <output dir>"
    ensure_jar
    rm -rf "$3"
    mkdir -p "$(dirname "$3")"
    # supportsES6: the client uses the global fetch, Promise and URLSearchParams of Node 20+.
    generator generate --input-spec "$2" --generator-name typescript-fetch --output "$3" \
      --additional-properties=supportsES6=true,typescriptThreePlus=true >"$3.log" 2>&1 ||
      { cat "$3.log" >&2; die "generating the client from $2 failed"; }
    ;;
  *)
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
