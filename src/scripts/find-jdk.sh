# Sourced by ./bilinear and src/scripts/test: sets JAVA to a java binary of version >= 25 and
# JAVA_HOME_FOUND to its home, looking at $JAVA_HOME, java on PATH, then /usr/lib/jvm/*.
java_major() {  # the feature version of a java binary, or nothing
  # A JDK's home has a 'release' file naming its version: reading it costs nothing, while
  # starting each candidate JVM with -version took about 0.1 s of every command.
  local release
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [[ -f "$release" ]]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1
  else
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}

find_java() {
  local candidates=() j v d
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for d in /usr/lib/jvm/*/; do [[ -d "$d" ]] && candidates+=("${d}bin/java"); done
  for j in "${candidates[@]}"; do
    if [[ -x "$j" ]]; then
      v="$(java_major "$j")"
      if [[ -n "$v" && "$v" -ge 25 ]]; then echo "$j"; return 0; fi
    fi
  done
  return 1
}

JAVA="$(find_java)" || {
  echo "error: bilinear needs a JDK 25 or newer (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*)" >&2
  exit 4
}
JAVA_HOME_FOUND="$(cd "$(dirname "$JAVA")/.." && pwd)"
