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
# A COLUMNS that is not a usable width (too big to parse, a float, words, bytes that are not
# UTF-8, out of the 40-200 range) gives the 80-column default, never a failure.
for columns in 1e400 abc -5 99999999999999999999999 "" $'\xff\xfe' 39 201; do
    if ! text=$(COLUMNS="$columns" "$rollcoach" serve --help); then
        echo "rollcoach serve --help failed with COLUMNS=$(printf %q "$columns")"
        status=1
    elif [ -n "$(printf '%s\n' "$text" | awk 'length($0) > 80')" ]; then
        echo "rollcoach serve --help with COLUMNS=$(printf %q "$columns") is wider than 80 columns"
        status=1
    fi
done
exit $status
