# shellcheck shell=bash
# Source this file (bash) to select a JDK 21 or newer:
#   . .mvn/find-java.sh || exit 1
# Looks at $JAVA_HOME, then `java` on PATH, then the newest JDK under
# ${CONSOLE_CHAT_JVM_DIR:-/usr/lib/jvm}. On success it exports JAVA_HOME,
# puts $JAVA_HOME/bin first on PATH and prints nothing; otherwise it prints
# an error to stderr and returns 1. Safe under `set -euo pipefail`.

# Prints the major version of the JDK at home $1 (nothing if it is not a JDK).
console_chat_jdk_major() {
    local home=$1 v=''
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 0   # javac: Maven must compile
    # The `release` file avoids starting a JVM; fall back to `java -version`.
    if [[ -r $home/release ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" 2>/dev/null) || v=
    fi
    if [[ -z $v ]]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1) || v=
    fi
    v=${v#1.}                 # "1.8.0_x" -> "8.0_x"
    v=${v%%[!0-9]*}           # "25.0.1" / "21-ea" -> "25" / "21"
    [[ -n $v ]] && printf '%s\n' "$v"
    return 0
}

console_chat_find_java() {
    local min=21 home='' cand major best='' best_major=0 java
    if [[ -n ${JAVA_HOME:-} ]] && major=$(console_chat_jdk_major "$JAVA_HOME") \
            && (( ${major:-0} >= min )); then
        home=$JAVA_HOME
    fi
    if [[ -z $home ]] && java=$(command -v java) && java=$(readlink -f "$java"); then
        cand=${java%/bin/java}
        major=$(console_chat_jdk_major "$cand")
        (( ${major:-0} >= min )) && home=$cand
    fi
    if [[ -z $home ]]; then
        for cand in "${CONSOLE_CHAT_JVM_DIR:-/usr/lib/jvm}"/*; do
            [[ -d $cand ]] || continue
            major=$(console_chat_jdk_major "$cand")
            if (( ${major:-0} >= min && ${major:-0} > best_major )); then
                best=$cand best_major=$major
            fi
        done
        home=$best
    fi
    if [[ -z $home ]]; then
        echo "console-chat: no JDK $min or newer found (looked at JAVA_HOME, PATH and ${CONSOLE_CHAT_JVM_DIR:-/usr/lib/jvm});" \
             "install one (e.g. apt-get install openjdk-21-jdk-headless or Temurin 21+) or set JAVA_HOME" >&2
        return 1
    fi
    export JAVA_HOME=$home
    export PATH="$home/bin:$PATH"
}

# `return` only works when sourced; fall back to `exit` when run directly.
console_chat_find_java || return 1 2>/dev/null || exit 1
