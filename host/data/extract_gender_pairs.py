#!/usr/bin/env python3
"""Builds gender-pairs.tsv (masculine<TAB>feminine, lower case, one word a line) from the paired
masculine/feminine labels of ROME v4.60 appellations ("Technicien coupeur / Technicienne
coupeuse en coiffure") and ESCO v1.0 French occupations ("rédacteur de discours/rédactrice de
discours"). The host includes the TSV at compile time (host/src/pseudonymise/gender.rs).

Usage: python3 host/data/extract_gender_pairs.py /work/shared/corpus/taxonomies > host/data/gender-pairs.tsv

Sources: ROME (France Travail, Licence Ouverte / Etalab 2.0) and ESCO (European Commission,
"This service uses the ESCO classification of the European Commission.").
"""
import csv
import re
import sys
from pathlib import Path

FEMININE = re.compile(r"(e|es)$")
WORD = re.compile(r"^[a-zàâäçéèêëîïôöûùüÿœæ]+$")


def words(s):
    out = []
    for w in s.lower().split():
        out.extend(p for p in w.split("-") if p)
    return out


def pairs_of(left, right, rome):
    lw, rw = words(left), words(right)
    if rome:
        # ROME writes only the gendered head on the left: pair it with the right's first words.
        rw = rw[: len(lw)]
    elif len(lw) != len(rw):
        return
    if len(lw) != len(rw):
        return
    for m, f in zip(lw, rw):
        if m == f or not WORD.match(m) or not WORD.match(f):
            continue
        # The two forms of one word share their stem; anything else is a misaligned pair.
        common = 0
        while common < min(len(m), len(f)) and m[common] == f[common]:
            common += 1
        if common >= 3 or (m, f) in {("chef", "cheffe")}:
            yield m, f


def main():
    root = Path(sys.argv[1])
    votes = {}
    with open(root / "rome-v460/unix_referentiel_appellation_v460_utf8.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = row["libelle_appellation_long"]
            if " / " in label:
                left, right = label.split(" / ", 1)
                for m, f in pairs_of(left, right, True):
                    votes[(m, f)] = votes.get((m, f), 0) + 1
    with open(root / "esco-v1.0-fr/occupations_fr.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = row["preferredLabel"]
            if label.count("/") == 1:
                left, right = label.split("/")
                for m, f in pairs_of(left.strip(), right.strip(), False):
                    votes[(m, f)] = votes.get((m, f), 0) + 1
    # A few labels put the feminine first ("Agente / Agent de bio-nettoyage") or are misaligned:
    # each word keeps its most frequent pairing, and a feminine form must end like one.
    best = {}
    for (m, f), n in votes.items():
        key = tuple(sorted((m, f)))
        if n > best.get(key, ((), 0))[1]:
            best[key] = ((m, f), n)
    pairs = {}
    for (m, f), n in sorted(best.values(), key=lambda x: -x[1]):
        if not FEMININE.search(f) or f in pairs or m in pairs:
            continue
        pairs[f] = m
    for f in sorted(pairs, key=lambda f: (pairs[f], f)):
        print(f"{pairs[f]}\t{f}")


if __name__ == "__main__":
    main()
