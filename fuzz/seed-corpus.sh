#!/bin/sh
# Copies seeds from the corpora into fuzz/corpus/parse_document (each prefixed with the byte
# that selects the declared type, see the target). Run from the repository root.
set -eu
out=fuzz/corpus/parse_document
mkdir -p "$out"
i=0
for f in $(find ../shared/corpus/cv tests/data -type f \( -name '*.pdf' -o -name '*.docx' -o -name '*.odt' -o -name '*.txt' -o -name '*.md' \) 2>/dev/null); do
  case "$f" in
    *.pdf) p='\000' ;; *.docx|*.odt) p='\001' ;; *.md) p='\002' ;; *) p='\003' ;;
  esac
  { printf "$p"; cat "$f"; } > "$out/seed-$i"
  i=$((i+1))
done
echo "$i seeds in $out"
