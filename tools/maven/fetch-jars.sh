# Sourced by the scripts that run a Java tool from Maven Central (kafka, zipkin, openapi); they
# define log and die first.
#
#   fetch_jars <what> <pom> <dir> <maven goal and options…>
#
# Runs the goal with the Maven Wrapper into <dir>, once per version of <pom>: the pom's SHA-256 is
# kept in <dir>/.pom.sha256, and the jars are fetched into a temporary directory that replaces
# <dir> only when Maven succeeded, so an interrupted download never looks complete.

fetch_jars() {
  local what="$1" pom="$2" dir="$3"
  shift 3
  local repo_root want
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  want="$(pom_digest "$pom")"
  [[ -f "$dir/.pom.sha256" && "$(cat "$dir/.pom.sha256")" == "$want" ]] && return 0
  mkdir -p "$(dirname "$dir")"
  # Keep the cache out of git even if the repo's .gitignore does not list it.
  [[ -f "$repo_root/.cache/.gitignore" ]] || printf '*\n' >"$repo_root/.cache/.gitignore"
  log "downloading $what with Maven into ${dir#"$repo_root"/} (one-time) ..."
  local tmp="$dir.tmp" t0=$SECONDS
  rm -rf "$tmp"
  if ! "$repo_root/tools/maven/mvnw" -q -B -Dstyle.color=never -f "$pom" "$@" -DoutputDirectory="$tmp" >"$dir.mvn.log" 2>&1; then
    tail -n 40 "$dir.mvn.log" >&2
    die "Maven failed to fetch $what (full output: $dir.mvn.log)"
  fi
  printf '%s\n' "$want" >"$tmp/.pom.sha256"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  log "$what ready ($(find "$dir" -name '*.jar' | wc -l | tr -d ' ') jars, $((SECONDS - t0))s)"
}

pom_digest() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}
