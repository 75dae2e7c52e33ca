#!/usr/bin/env python3
"""Writes the French development set from cvs.py: for each fictional CV a .txt, a .md and a
flat OpenDocument source (.fodt, in a temporary folder) that LibreOffice converts to .odt,
.docx and .pdf; and truth.jsonl in the format of the public corpus (one line per file).

Run from this folder: `python3 generate.py` (needs `soffice`, e.g. the Debian package
libreoffice-writer-nogui). Not run by CI: the generated files are committed.
"""
import json, os, shutil, subprocess, sys, tempfile
from xml.sax.saxutils import escape
from cvs import CVS

HERE = os.path.dirname(os.path.abspath(__file__))


def blocks(cv):
    """The CV as a list of blocks, shared by every renderer."""
    out = []
    head = [cv["shown_name"], cv["headline"], cv["address"], f'{cv["phone_shown"]} – {cv["email"]}']
    out.append(("header", head))
    h = cv["headings"]
    out.append(("h", h["exp"]))
    for e in cv["experiences"]:
        place = f', {e["loc"]}' if e.get("loc") else ""
        who = e["title"] + (f' — {e["org"]}{place}' if e.get("org") else "")
        lay = cv["layout"]
        if lay == "stacked":
            out += [("p", who), ("p", e["dates"])]
        elif lay == "inline":
            inline = e["title"] + (f', {e["org"]} ({e["loc"]})' if e.get("org") else "")
            out.append(("p", f'{e["dates"]} : {inline}'))
        elif lay == "table":
            out.append(("row", [[e["dates"]], [who] + ["• " + b for b in e["bullets"]]]))
            continue
        elif lay == "right":
            left = f'{e["org"]}{place}' if e.get("org") else e["title"]
            out.append(("tab", left, e["dates"]))
            if e.get("org"):
                out.append(("p", e["title"]))
        elif lay == "orgfirst":
            out.append(("p", f'{e["org"]} — {e["title"]}' if e.get("org") else e["title"]))
            out.append(("p", f'{e["dates"]} | {e["loc"]}' if e.get("loc") else e["dates"]))
        elif lay == "pipe":
            fields = [e["title"]] + ([e["org"], e["loc"]] if e.get("org") else []) + [e["dates"]]
            out.append(("p", " | ".join(fields)))
        elif lay == "threeline":
            out.append(("p", e["title"]))
            if e.get("org"):
                out.append(("p", f'{e["org"]}, {e["loc"]}'))
            out.append(("p", e["dates"]))
        elif lay == "h3":
            out.append(("h3", e["title"]))
            out.append(("p", f'{e["org"]}, {e["loc"]} — {e["dates"]}' if e.get("org") else e["dates"]))
        out += [("bullet", b) for b in e["bullets"]]
    out.append(("h", h["edu"]))
    for d in cv["education"]:
        if cv["layout"] == "table":
            out.append(("row", [[d["dates"]], [f'{d["degree"]} — {d["institution"]}']]))
        else:
            out.append(("p", f'{d["dates"]} : {d["degree"]}, {d["institution"]}'))
    out.append(("h", h["skills"]))
    out += [("bullet", s) for s in cv["skills"]]
    out.append(("h", h["lang"]))
    out.append(("p", ", ".join(f"{n} ({l})" for n, l in cv["languages"])))
    if cv["public"]:
        out.append(("h", "Situation administrative"))
        out += [("p", p) for p in cv["public"]]
    if cv.get("licence"):
        out.append(("p", cv["licence"]))
    out.append(("h", h["other"]))
    out.append(("p", ", ".join(cv["interests"])))
    if cv.get("hidden"):
        out.append(("hidden", cv["hidden"]))
    return out


def text(cv, md):
    lines = []
    for b in blocks(cv):
        kind = b[0]
        if kind == "header":
            lines += [("# " if md else "") + b[1][0]] + b[1][1:] + [""]
        elif kind == "h":
            lines += ["", ("## " if md else "") + b[1], ""]
        elif kind == "h3":
            lines += ([""] if lines and lines[-1] else []) + [("### " if md else "") + b[1]]
        elif kind == "p":
            lines.append(b[1])
        elif kind == "bullet":
            lines.append("- " + b[1])
        elif kind == "row":
            lines.append(b[1][0][0] + "    " + b[1][1][0])
            lines += [("- " + x[2:]) if x.startswith("• ") else x for x in b[1][1][1:]]
        elif kind == "tab":
            lines.append(b[1] + "    " + b[2])
        elif kind == "hidden":
            pass  # White text only exists in the formatted documents.
    return "\n".join(lines).strip() + "\n"


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')


def fodt(cv):
    x = lambda s: escape(s)
    body = []
    header_xml = ""
    rows = []

    def flush_rows():
        if rows:
            body.append('<table:table table:name="T%d" table:style-name="Tab"><table:table-column table:style-name="ColA"/><table:table-column table:style-name="ColB"/>' % len(body))
            for cells in rows:
                body.append("<table:table-row>")
                for cell in cells:
                    body.append("<table:table-cell>" + "".join(f"<text:p>{x(p)}</text:p>" for p in cell) + "</table:table-cell>")
                body.append("</table:table-row>")
            body.append("</table:table>")
            rows.clear()

    for b in blocks(cv):
        kind = b[0]
        if kind != "row":
            flush_rows()
        if kind == "header":
            paras = f'<text:p text:style-name="Name">{x(b[1][0])}</text:p>' + "".join(f"<text:p>{x(l)}</text:p>" for l in b[1][1:])
            if cv["header_in_page_header"]:
                header_xml = f"<style:header>{paras}</style:header>"
            else:
                body.append(paras)
        elif kind == "h":
            body.append(f'<text:h text:style-name="Head" text:outline-level="2">{x(b[1])}</text:h>')
        elif kind == "h3":
            body.append(f'<text:h text:style-name="Head3" text:outline-level="3">{x(b[1])}</text:h>')
        elif kind == "p":
            body.append(f"<text:p>{x(b[1])}</text:p>")
        elif kind == "bullet":
            body.append(f'<text:list text:style-name="Puces"><text:list-item><text:p>{x(b[1])}</text:p></text:list-item></text:list>')
        elif kind == "row":
            rows.append(b[1])
        elif kind == "tab":
            body.append(f'<text:p text:style-name="TabRight">{x(b[1])}<text:tab/>{x(b[2])}</text:p>')
        elif kind == "hidden":
            body.append(f'<text:p><text:span text:style-name="White">{x(b[1])}</text:span></text:p>')
    flush_rows()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Name" style:family="paragraph"><style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.15cm"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Head3" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.25cm"/><style:text-properties fo:font-size="11pt" fo:font-weight="bold"/></style:style>
<style:style style:name="TabRight" style:family="paragraph"><style:paragraph-properties><style:tab-stops><style:tab-stop style:position="17cm" style:type="right"/></style:tab-stops></style:paragraph-properties></style:style>
</office:styles>
<office:automatic-styles>
<text:list-style style:name="Puces"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.4cm" fo:margin-left="0.6cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
<style:style style:name="White" style:family="text"><style:text-properties fo:color="#ffffff" fo:font-size="6pt"/></style:style>
<style:style style:name="Tab" style:family="table"><style:table-properties style:width="17cm" table:align="left"/></style:style>
<style:style style:name="ColA" style:family="table-column"><style:table-column-properties style:column-width="4.5cm"/></style:style>
<style:style style:name="ColB" style:family="table-column"><style:table-column-properties style:column-width="12.5cm"/></style:style>
<style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.4cm"/></style:header-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="PL">{header_xml}</style:master-page></office:master-styles>
<office:body><office:text>
{"".join(body)}
</office:text></office:body></office:document>
"""


def truth(cv, ext):
    # Convention: a contract qualifier in parentheses ("(alternance)", "(temps partiel)") is
    # the kind of contract, not part of the job title.
    def title(t):
        return t.split(" (")[0] if t.endswith(")") else t
    exps = [dict(title=title(e["title"]), organization=e["org"], start=e["start"], end=e["end"])
            for e in cv["experiences"] if not e.get("gap")]
    return dict(
        file=f'{cv["id"]}.{ext}', name=cv["name"], email=cv["email"], phone=cv["phone"], city=cv["city"],
        experiences=exps,
        education=[dict(degree=d["degree"], institution=d["institution"], start=None, end=d["end"]) for d in cv["education"]],
        skills=cv["skills"], languages=[n for n, _ in cv["languages"]], lang="fr",
        public_service=cv["public"], layout=cv["layout"], header_in_page_header=cv["header_in_page_header"],
        note="fictional person; generated by generate.py from cvs.py",
    )


def main():
    # `python3 generate.py ID...` rewrites only those CVs' documents, so that regenerating one
    # does not churn the committed binaries of the others; truth.jsonl is always rewritten whole.
    only = set(sys.argv[1:])
    tmp = tempfile.mkdtemp()
    lines = []
    for cv in CVS:
        if only and cv["id"] not in only:
            lines += [json.dumps(truth(cv, ext), ensure_ascii=False) for ext in ("pdf", "docx", "odt", "txt", "md")]
            continue
        for ext, md in (("txt", False), ("md", True)):
            with open(os.path.join(HERE, f'{cv["id"]}.{ext}'), "w", encoding="utf-8") as f:
                f.write(text(cv, md))
        src = os.path.join(tmp, f'{cv["id"]}.fodt')
        with open(src, "w", encoding="utf-8") as f:
            f.write(fodt(cv))
        for fmt in ("odt", "docx", "pdf"):
            subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", HERE, src],
                           check=True, stdout=subprocess.DEVNULL)
        for ext in ("pdf", "docx", "odt", "txt", "md"):
            lines.append(json.dumps(truth(cv, ext), ensure_ascii=False))
    with open(os.path.join(HERE, "truth.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    shutil.rmtree(tmp)
    print(f"{len(CVS)} CVs, {len(lines)} files")


if __name__ == "__main__":
    main()
