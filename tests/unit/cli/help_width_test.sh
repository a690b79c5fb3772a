#!/usr/bin/env bash
# Every command's --help fits an 80-column terminal (and a 100-column one when COLUMNS says so),
# and wrapping loses no word: the help's words are the same as with a 200-column terminal.
set -euo pipefail
rollcoach="$1"
commands=$("$rollcoach" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || { echo "no subcommands found in rollcoach --help"; exit 1; }
status=0
for width in 80 100; do
    for command in "" $commands; do
        text=$(COLUMNS=$width "$rollcoach" $command --help)
        long=$(printf '%s\n' "$text" | awk -v w="$width" 'length($0) > w')
        if [ -n "$long" ]; then
            echo "rollcoach $command --help has lines over $width columns:"
            printf '%s\n' "$long"
            status=1
        fi
        wide=$(COLUMNS=200 "$rollcoach" $command --help | tr -s ' \n' '\n\n')
        if [ "$(printf '%s\n' "$text" | tr -s ' \n' '\n\n')" != "$wide" ]; then
            echo "rollcoach $command --help at $width columns does not have the same words as at 200"
            status=1
        fi
    done
done
exit $status
