#!/usr/bin/env python3
"""Converts facts.json (the curated, sourced facts) into data/companies/*.toml.

Run once per refresh of facts.json:
    python3 scripts/import_facts.py data/sources/facts/facts.json.gz
The output is deterministic (same input, same bytes) so a refresh reviews as a plain diff.
"""
import gzip
import json
import re
import sys
import tomllib
from pathlib import Path


def agency_codes():
    """Agency name -> code, from data/dataset.toml (the one list of agencies): top-level
    agencies and sub-agencies apart, each name also as facts.json writes some, "Name (CODE)"."""
    dataset = tomllib.loads((Path(__file__).parent.parent / "data" / "dataset.toml").read_text())
    top, sub = {}, {}
    for agency in dataset["agencies"]:
        codes = sub if "parent" in agency else top
        codes[agency["name"]] = agency["code"]
        codes[f"{agency['name']} ({agency['code']})"] = agency["code"]
    return top, sub


AGENCIES, SUB_AGENCIES = agency_codes()
# Each agency once, by its name in data/dataset.toml.
SUB_AGENCY_NAMES = {name: code for name, code in SUB_AGENCIES.items() if not name.endswith(")")}
TOP_AGENCY_NAMES = {name: code for name, code in AGENCIES.items() if not name.endswith(")")}
# Aliases that are ordinary words, places or other things too: marked only with evidence.
AMBIGUOUS = {"Amazon", "Chef", "GEO", "Geo", "Vigilant", "Paragon", "Clearview", "CCA", "CGS",
             "FCN", "CSRA", "MVM"}
# Names readers meet in the news that the sources did not spell out as aliases.
EXTRA_ALIASES = {
    "booz-allen-hamilton": ["Booz Allen"],
    "hewlett-packard-enterprise": ["HPE"],
    "mvm-inc": ["MVM"],
}
# Phrases that, anywhere in a page, say an ambiguous name means the company.
EVIDENCE = {
    "amazon": ["amazon.com", "Amazon Prime", "Prime Video", "Alexa", "Kindle", "Whole Foods",
               "Bezos", "Fire TV", "Amazon Associate", "Amazon Associates", "Amazon Affiliate",
               "Andy Jassy"],
    "chef-software": ["Puppet", "Ansible", "configuration management", "Chef Infra",
                      "Chef Habitat", "Progress Software", "Barry Crist", "chef.io"],
    "the-geo-group": ["private prison", "private prisons", "detention center",
                      "detention centers", "George Zoley"],
    "corecivic": ["private prison", "private prisons", "detention center", "detention centers",
                  "Damon Hininger"],
    "vigilant-solutions": ["license plate", "license-plate", "licence plate"],
    "clearview-ai": ["facial recognition", "Hoan Ton-That"],
    "paragon-solutions": ["spyware", "Graphite"],
}
# Phrases that contain a company's name but mean something else: a person, a place, a river.
EXCLUDE = {
    "amazon": ["Amazon rainforest", "Amazon River", "Amazon basin", "Amazon jungle",
               "Amazon region", "Amazon Conservation Team"],
    "dell": ["Michael Dell", "Susan Dell", "Dell Medical School", "Dell Children's"],
    "google": ["Google Doodle"],
}
# Awards the spending records identify by their description, for contracts whose sources name no
# award id: the records' award then joins the contract on the card.
RECORD_AWARD_IDS = {
    # CBP award "SOCIAL MEDIA MANAGEMENT PLATFORM HOOTSUITE AND SUPPORT SERVICES." to SENECA
    # STRATEGIC PARTNERS, LLC, 2024-07-30 (data/sources/cbp-ice-fy2021-2026/fy2024.csv.gz).
    ("hootsuite", 1): "70B06C24C00000048",
    ("seneca-strategic-partners", 0): "70B06C24C00000048",
}
# Products sold under their own name, each with the quote that names it as the company's: an
# award to a reseller whose record names one is shown on the maker's card.
PRODUCTS = {
    "microsoft": [("Azure", "https://gadgets.ndtv.com/internet/news/microsoft-ceo-responds-to-employee-criticism-of-companys-contract-with-ice-1870928",
                   "The contract being criticised by Microsoft workers is for the Azure Government product")],
    "amazon-web-services": [("GovCloud", "https://investigate.afsc.org/company/amazon",
                             "are hosted on Amazon’s AWS GovCloud")],
}
# Things that are stated in a source quote but not in a structured facts.json field.
OPTION_TERMS = {
    ("hootsuite", 0): (1, 2),  # "set for one year with an option to renew for two additional years"
    ("fcn", 0): (1, 2),
}


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def q(value):
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def https(url):
    # Both hosts serve the same page over https; the card links only to https addresses.
    return "https://" + url[len("http://"):] if url.startswith("http://") else url


TORN_APART = "Values from the ICE contract-transaction export"
# A curator's shorthand in notes, in a reader's words.
CURATOR_SHORTHAND = {
    "end = termination date.": "The end shown is the termination date.",
    "agency 7012 = ICE": "agency 7012, ICE",
    "award_id from the USAspending-derived Torn Apart row": "award id from the USAspending records (Torn Apart)",
}


def plain_note(note):
    """(what a reader is told, how the figures were taken) from a note of facts.json. A note that
    explains the Torn Apart import (column names, row choices) keeps that as the method, for
    maintainers, and tells the reader what it means in plain words; any other note is the
    reader's as it is."""
    if not note.startswith(TORN_APART):
        for shorthand, words in CURATOR_SHORTHAND.items():
            note = note.replace(shorthand, words)
        return note, None
    said = []
    later = re.search(r"start left null: the earliest row in the files is modification (\S+), not the base award", note)
    if later:
        said.append(f"The records hold this award only from a later modification ({later.group(1)}) on; "
                    "the award began earlier.")
    parent = re.search(r'recipient_parent_name on (?:this row|these rows) is "([^"]+)"\.?', note)
    if parent:
        said.append(f"The records name {parent.group(1)} as the recipient's parent company.")
        note = note.replace(parent.group(0), "")
    # What the note adds after the import's own sentences: the curator's words, kept.
    method_sentences = (r"^Values from|transaction row|^amount_usd|^end = |^start = |^parent award|"
                        r"^Row-level dates|^the award may have started earlier|^start left null|^Recipient |"
                        r"recipient_parent_name")
    for sentence in re.split(r"(?<=[.;])\s+", note):
        if sentence and not re.search(method_sentences, sentence):
            said.append(sentence)
    return " ".join(said) or None, note


def statement_agencies(statement):
    """The sub-agencies, else the agencies, a statement is about: those its words or its sources'
    quotes name, by code, by name, or by the last two words of the name (the loader checks the
    same rule, src/load.rs)."""
    texts = [statement["text"]] + [s["quote"] for s in statement["sources"]]

    def named(code, name):
        tail = " ".join(name.split()[-2:]).lower()
        return any(re.search(rf"\b{code}\b", t) or name.lower() in t.lower() or tail in t.lower()
                   for t in texts)

    subs = [code for name, code in SUB_AGENCY_NAMES.items() if named(code, name)]
    return subs or [code for name, code in TOP_AGENCY_NAMES.items() if named(code, name)]


def sources(lines, table, srcs):
    for s in srcs:
        lines.append(f"[[{table}.sources]]")
        lines.append(f"url = {q(https(s['url']))}")
        lines.append(f"quote = {q(s['quote'])}")
        lines.append("")


def main():
    raw = Path(sys.argv[1]).read_bytes()
    facts = json.loads(gzip.decompress(raw) if sys.argv[1].endswith(".gz") else raw)
    out = Path(__file__).resolve().parent.parent / "data" / "companies"
    out.mkdir(parents=True, exist_ok=True)
    ids = {c["name"]: slug(c["name"]) for c in facts}
    for old in out.glob("*.toml"):
        old.unlink()
    for c in facts:
        cid = ids[c["name"]]
        lines = [f"id = {q(cid)}", f"name = {q(c['name'])}"]
        aliases = c["aliases"] + [a for a in EXTRA_ALIASES.get(cid, []) if a not in c["aliases"]]
        lines.append("aliases = [" + ", ".join(q(a) for a in aliases) + "]")
        amb = [a for a in [c["name"]] + aliases if a in AMBIGUOUS]
        if amb:
            lines.append("ambiguous = [" + ", ".join(q(a) for a in amb) + "]")
        if cid in EVIDENCE:
            lines.append("evidence = [" + ", ".join(q(a) for a in EVIDENCE[cid]) + "]")
        if cid in EXCLUDE:
            lines.append("exclude = [" + ", ".join(q(a) for a in EXCLUDE[cid]) + "]")
        if c["parent"]:
            if c["parent"] in ids:
                lines.append(f"parent = {q(ids[c['parent']])}")
            else:
                lines.append(f"parent_name = {q(c['parent'])}")
        # The recipient names USAspending rows give for this company: the importer files their
        # awards here.
        recipients = sorted({k["recipient"] for k in c["contracts"] if k["recipient"]
                             and any("torn-apart" in s["url"] for s in k["sources"])})
        if recipients:
            lines.append("recipients = [" + ", ".join(q(r) for r in recipients) + "]")
        if c["website"]:
            lines.append(f"website = {q(https(c['website']))}")
        lines.append("")
        for name, url, quote in PRODUCTS.get(cid, []):
            lines += ["[[products]]", f"name = {q(name)}", "", "[[products.sources]]",
                      f"url = {q(url)}", f"quote = {q(quote)}", ""]
        for i, k in enumerate(c["contracts"]):
            lines.append("[[contracts]]")
            if k["agency"]:
                lines.append(f"agency = {q(AGENCIES[k['agency']])}")
            if k["sub_agency"]:
                lines.append(f"sub_agency = {q(SUB_AGENCIES[k['sub_agency']])}")
            if k["recipient"]:
                lines.append(f"recipient = {q(k['recipient'])}")
            if k["description"]:
                lines.append(f"description = {q(k['description'])}")
            if (cid, i) in RECORD_AWARD_IDS:
                lines.append("# Identified in the spending records by its description (scripts/import_facts.py).")
                lines.append(f"award_id = {q(RECORD_AWARD_IDS[(cid, i)])}")
            if k["amount_usd"] is not None:
                from_rows = any("torn-apart" in s["url"] for s in k["sources"])
                # Rows give the potential value (ceiling); news gives a reported "worth".
                field = "potential_usd" if from_rows else "reported_usd"
                amount = k["amount_usd"]
                amount = int(amount) if float(amount).is_integer() else amount
                lines.append(f"{field} = {amount}")
            for f in ("start", "end", "award_id"):
                if k[f]:
                    lines.append(f"{f} = {q(k[f])}")
            if (cid, i) in OPTION_TERMS:
                base, options = OPTION_TERMS[(cid, i)]
                lines.append(f"base_years = {base}")
                lines.append(f"option_years = {options}")
            if k["status_note"]:
                note, method = plain_note(k["status_note"])
                if note:
                    lines.append(f"note = {q(note)}")
                if method:
                    lines.append(f"method = {q(method)}")
            lines.append("")
            sources(lines, "contracts", k["sources"])
        for s in c["statements"]:
            lines.append("[[statements]]")
            if s["date"]:
                lines.append(f"date = {q(s['date'])}")
            lines.append(f"speaker = {q(s['speaker'])}")
            lines.append(f"text = {q(s['text'])}")
            if s["medium"]:
                lines.append(f"medium = {q(s['medium'])}")
            concerned = statement_agencies(s)
            if concerned:
                lines.append("agencies = [" + ", ".join(q(code) for code in concerned) + "]")
            lines.append("")
            sources(lines, "statements", s["sources"])
        (out / f"{cid}.toml").write_text("\n".join(lines).rstrip() + "\n")
    print(f"wrote {len(facts)} companies to {out}")


if __name__ == "__main__":
    main()
