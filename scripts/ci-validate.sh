#!/usr/bin/env bash
# The GitHub Action's step (action.yml): `codexgw validate --strict --format github` over the
# given paths, so findings become annotations on the lines at fault and a bad config fails the job.
# Inputs come as environment variables (INPUT_*), never spliced into the script text, so a path
# with spaces or shell syntax is only ever a path.
set -euo pipefail

args=(validate --format github)
case "${INPUT_STRICT:-true}" in
  true | yes | 1) args+=(--strict) ;;
  false | no | 0 | '') ;;
  *) echo "::error title=codexgw action::input strict must be true or false, got '${INPUT_STRICT}'" >&2; exit 2 ;;
esac
if [ -n "${INPUT_CODEX_VERSION:-}" ]; then args+=(--codex-version "$INPUT_CODEX_VERSION"); fi
if [ -n "${INPUT_PATHS:-}" ]; then
  # One path per line (a path may hold spaces), or several on one line separated by spaces.
  # `--` first: a path that starts with "-" is still a path.
  args+=(--)
  if [[ "$INPUT_PATHS" == *$'\n'* ]]; then
    while read -r line; do [ -z "$line" ] || args+=("$line"); done <<<"$INPUT_PATHS"
  else
    read -r -a words <<<"$INPUT_PATHS"
    args+=("${words[@]}")
  fi
fi

if [ -n "${CODEXGW_BIN:-}" ]; then
  # A codexgw already on the machine (the tests, or a workflow that installed it).
  exec "$CODEXGW_BIN" "${args[@]}"
fi
exec npx --yes "codexgw@${INPUT_VERSION:?the action sets INPUT_VERSION}" "${args[@]}"
