#!/usr/bin/env python3
"""Extracts the compact French taxonomy data the lexical matcher compiles in at build time.

Reads ESCO v1.0 (French skills, European Commission, reuse with attribution) and ROME v4.60
(France Travail appellations, Licence Ouverte / Etalab 2.0) CSV files and writes
`taxonomy-fr.tsv`:

* `syn\t<label>|<label>|...`: an ESCO skill concept whose preferred and alternative labels
  are short (1 to 3 significant words): phrases that mean the same thing;
* `df\t<word>\t<count>`: how many ESCO skill labels and ROME job titles contain a word (folded,
  not stemmed), for words in at least MIN_DF of them. Frequent words ("gestion", "agent")
  say little about a requirement, so the matcher weights them down.

Usage: extract_taxonomy.py <taxonomies dir> > taxonomy-fr.tsv
(the dir holds esco-v1.0-fr/skills_fr.csv and rome-v460/unix_referentiel_appellation_v460_utf8.csv)
"""
import csv
import re
import sys
import unicodedata
from collections import Counter

MIN_DF = 25
MAX_WORDS = 3
STOP = set("de des du la le les et en un une au aux a d l pour par sur avec dans ou".split())


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z0-9]+", s)


def significant(s):
    return [w for w in fold(s) if w not in STOP]


def main(root):
    out = []
    df = Counter()
    with open(f"{root}/esco-v1.0-fr/skills_fr.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels = [row["preferredLabel"]] + row["altLabels"].split("\n")
            labels = [l.strip() for l in labels if l.strip()]
            df.update(set(significant(row["preferredLabel"])))
            short = [l for l in labels if 1 <= len(significant(l)) <= MAX_WORDS and "|" not in l]
            short = list(dict.fromkeys(short))
            if len(short) >= 2:
                out.append("syn\t" + "|".join(short))
    with open(f"{root}/rome-v460/unix_referentiel_appellation_v460_utf8.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            df.update(set(significant(row["libelle_appellation_court"])))
    for word, n in sorted(df.items()):
        if n >= MIN_DF and len(word) > 1:
            out.append(f"df\t{word}\t{n}")
    print("# Derived from ESCO v1.0 (European Commission) and ROME v4.60 (France Travail, Licence Ouverte 2.0).")
    print("# Regenerate with extract_taxonomy.py; do not edit by hand.")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
