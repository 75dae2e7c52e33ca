#!/bin/sh
# Seeds every fuzz target's corpus (fuzz/corpus/<target>) from the corpora and the development
# sets. Run from the repository root after `cargo build --release` (bundle and ad seeds are made
# with the `vivier` binary). Seeds are inputs, not results: fuzz/corpus is not committed.
set -eu
vivier=${VIVIER:-target/release/vivier}
i=0

# parse_document: the first byte selects the declared type (see the target).
out=fuzz/corpus/parse_document
mkdir -p "$out"
for f in $(find ../shared/corpus/cv tests/data tests/fixtures -type f \( -name '*.pdf' -o -name '*.docx' -o -name '*.odt' -o -name '*.txt' -o -name '*.md' \) 2>/dev/null); do
  case "$f" in
    *.pdf) p='\000' ;; *.docx|*.odt) p='\001' ;; *.md) p='\002' ;; *) p='\003' ;;
  esac
  { printf "$p"; cat "$f"; } > "$out/seed-$i"
  i=$((i+1))
done
echo "parse_document: $(ls "$out" | wc -l) seeds"

# manifest: every manifest of the repository.
out=fuzz/corpus/manifest
mkdir -p "$out"
for f in $(find plugins examples tests -name vivier-plugin.toml -not -path '*/target/*'); do
  cp "$f" "$out/$(echo "$f" | tr / _)"
done
echo "manifest: $(ls "$out" | wc -l) seeds"

# bundle_archive: each manifest packed with a small component, unsigned and signed (the reader
# checks digests and signatures, not the component's validity: the runtime does that later).
out=fuzz/corpus/bundle_archive
mkdir -p "$out"
tmp=$(mktemp -d)
printf '\000asm\015\000\001\000' > "$tmp/c.wasm"
"$vivier" plugin keygen --out "$tmp/key" > /dev/null 2>&1
for f in $(find plugins examples -name vivier-plugin.toml -not -path '*/target/*'); do
  name=$(echo "$f" | tr / _)
  # The manifest names its component file: give the packer that name.
  file=$(sed -n 's/^file *= *"\(.*\)"/\1/p' "$f" | head -1)
  [ -z "$file" ] || [ "$file" = c.wasm ] || cp "$tmp/c.wasm" "$tmp/$file"
  "$vivier" plugin pack --manifest "$f" --component "$tmp/${file:-c.wasm}" --out "$out/$name.zip" > /dev/null
  "$vivier" plugin pack --manifest "$f" --component "$tmp/${file:-c.wasm}" --key "$tmp/key" --out "$out/$name-signed.zip" > /dev/null
done
rm -rf "$tmp"
echo "bundle_archive: $(ls "$out" | wc -l) seeds"

# api_bodies: the first byte picks the route (index into ROUTES in the target).
out=fuzz/corpus/api_bodies
mkdir -p "$out"
# Named by count: `... | seed` runs in a subshell, where a counter would not advance.
seed() { n=$(ls "$out" | wc -l); { printf "$1"; cat; } > "$out/seed-$n"; }
for f in tests/data/cv/*.txt $(ls tests/data/cv-fr/*.pdf tests/data/cv-fr/*.docx | head -6); do
  python3 -c 'import json,sys; print(json.dumps({"filename": sys.argv[1].rsplit("/",1)[-1], "content_base64": __import__("base64").b64encode(open(sys.argv[1],"rb").read()).decode()}))' "$f" | seed '\000'
  { printf -- '--B\r\nContent-Disposition: form-data; name="file"; filename="cv.txt"\r\nContent-Type: text/plain\r\n\r\n'; cat "$f"; printf '\r\n--B--\r\n'; } | seed '\001'
done
for f in tests/fixtures/conformance/posting.json; do
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(json.dumps({"posting": p, "candidates": [{"id": "c1", "profile": {}}]}))' "$f" | seed '\002'
done
seed '\003' < tests/fixtures/conformance/draft-request.json
printf '{"title": "Agent F/H", "body": "Missions : ..."}' | seed '\004'
printf '{"candidate_id": "c_1", "posting_id": "conformance-posting", "decision": "rejected", "recruiter_id": "agent-017", "rationale": "entretien", "trace_ids": ["t_1"]}' | seed '\005'
printf '{"consent": true, "gender": "F", "age_band": "30-39"}' | seed '\006'
printf '{"plugin": "vivier-matcher-lexical"}' | seed '\007'
printf '{"max_memory_mib": 64, "timeout_ms": 2000}' | seed '\010'
printf '{"role": "sirh", "label": "x"}' | seed '\011'
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' | seed '\012'
printf '{"plugin": "vivier-matcher-semantic", "sample_percent": 10}' | seed '\013'
echo "api_bodies: $(ls "$out" | wc -l) seeds"

# ad_linter: drafted ads and every Markdown text of the repository.
out=fuzz/corpus/ad_linter
mkdir -p "$out"
"$vivier" draft tests/fixtures/conformance/draft-request.json > "$out/drafted.md" 2>/dev/null || true
for f in $(find tests/data docs -name '*.md'); do
  cp "$f" "$out/$(echo "$f" | tr / _)"
done
echo "ad_linter: $(ls "$out" | wc -l) seeds"

# Every target also starts from the inputs its regression folder keeps (earlier findings and a
# sample of an earlier run's corpus).
for d in tests/data/fuzz-regressions/*/; do
  t=$(basename "$d")
  [ -d "fuzz/corpus/$t" ] && cp "$d"* "fuzz/corpus/$t/" && echo "$t: $(ls "$d" | wc -l) regression inputs added"
done
