#!/usr/bin/env python3
"""Writes retort.1 and the bash completion from `retort help`, at build time.

The help text in core/cli/commands.cpp is the one source: a command or flag added there
appears in the man page and the completion on the next build. The text's shape is read,
not assumed per command:

    usage: retort ...                   SYNOPSIS (lines until the first blank one)
    A paragraph.                        DESCRIPTION
    commands:                           a section: one entry per line indented by two,
      NAME SYNOPSIS      description      the description in a column of its own,
                         continued        continuation lines indented to that column
    options:
      -c, --config FILE  description

In a command's synopsis `--flag VALUE` takes a value, `--flag a|b` takes one of those,
`word|word` first is a choice of positional words.
"""
import argparse
import gzip
import re
import subprocess
import sys
from collections import Counter

FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)(?:[ =]([A-Z][A-Z_:.]*|[a-z][\w-]*(?:\|[a-z][\w-]*)+|'[^']*'))?")


def parse(text):
    lines = text.rstrip("\n").split("\n")
    usage, i = [], 0
    while i < len(lines) and lines[i].strip():
        usage.append(lines[i])
        i += 1
    description, sections, current = [], [], None
    for line in lines[i:]:
        if re.match(r"^[a-z][\w ]*:$", line):
            current = {"title": line[:-1], "lines": []}
            sections.append(current)
        elif current is None:
            description.append(line)
        else:
            current["lines"].append(line)
    for s in sections:
        s["entries"] = entries(s["lines"])
    return usage, "\n".join(description).strip(), sections


def balanced(text):
    depth, quote = 0, None
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
    return depth == 0 and quote is None


def entries(lines):
    # The description column: where most descriptions start after a gap of two spaces.
    starts = Counter(m.end() for l in lines if (m := re.match(r"^  \S.*?\S?  +(?=\S)", l)))
    column = starts.most_common(1)[0][0] if starts else None
    out = []
    for line in lines:
        if not line.strip():
            continue
        if re.match(r"^  \S", line):
            term, desc = line[2:].rstrip(), ""
            # The description starts at the column, or a little after it when the synopsis
            # runs into it; never inside an open bracket or quote of the synopsis.
            for p in range(column - 1, column + 3) if column else ():
                if p + 1 < len(line) and line[p] == " " and line[p + 1] != " " and balanced(line[2:p]):
                    term, desc = line[2:p].rstrip(), line[p:].strip()
                    break
            out.append({"term": term, "desc": desc})
        elif out:
            text = line.strip()
            if not out[-1]["desc"] and text.startswith(("[", "-")) and column and len(line) - len(line.lstrip()) < column:
                out[-1]["term"] += " " + text   # the synopsis goes on
            else:
                out[-1]["desc"] = (out[-1]["desc"] + " " + text).strip()
    return out


def flags_of(term):
    """[(flag, value)] in a synopsis; value None, 'FILE'-like or 'a|b'."""
    found = []
    for m in FLAG.finditer(term):
        found.append((m.group(1), m.group(2)))
    return found


def model(text):
    usage, description, sections = parse(text)
    commands, options = [], []
    for s in sections:
        if s["title"] == "commands":
            for e in s["entries"]:
                name, _, rest = e["term"].partition(" ")
                first = rest.split()[0] if rest.split() else ""
                choices = first.split("|") if re.fullmatch(r"[a-z][\w-]*(\|[a-z][\w-]*)+", first) else []
                same = next((c for c in commands if c["name"] == name), None)
                if same:   # one command, two forms (check, check --against REF)
                    same["flags"] += flags_of(rest)
                    same["choices"] = same["choices"] or choices
                    continue
                commands.append({"name": name, "synopsis": rest, "desc": e["desc"],
                                 "flags": flags_of(rest), "choices": choices})
        elif s["title"] == "options":
            for e in s["entries"]:
                # "-c, --config FILE": the value belongs to each spelling of the option.
                flags = flags_of(e["term"])
                value = next((v for _, v in flags if v), None)
                options.append({"term": e["term"], "desc": e["desc"], "flags": [(f, value) for f, _ in flags]})
    return usage, description, sections, commands, options


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def term_roff(term):
    """A command or option entry: names and flags bold, placeholders italic."""
    words = []
    for i, w in enumerate(term.split(" ")):
        m = re.fullmatch(r"([\[(]*)(.*?)([\])\],.]*)", w)
        lead, core, trail = m.groups()
        if i == 0 or re.fullmatch(r"--?[A-Za-z][\w-]*", core):
            core = "\\fB" + roff(core) + "\\fR"
        elif re.fullmatch(r"[A-Z][A-Z_]*", core):
            core = "\\fI" + roff(core) + "\\fR"
        else:
            core = roff(core)
        words.append(roff(lead) + core + roff(trail))
    return " ".join(words)


def man_page(text, version):
    usage, description, sections, commands, options = model(text)
    out = [f'.TH RETORT 1 "" "retort {version}" "User Commands"',
           ".SH NAME", "retort \\- " + roff("a workbench for Alembic database migrations"),
           ".SH SYNOPSIS"]
    for n, line in enumerate(usage):
        line = re.sub(r"^(usage:)?\s+", "", line)
        syn, note = (re.split(r"\s{2,}", line, maxsplit=1) + [""])[:2]
        out += [".PP" if n == 0 else ".br", ".B retort", roff(syn.partition(" ")[2])]
        if note:
            out.append("\\(em " + roff(note))
    out += [".SH DESCRIPTION"]
    for para in description.split("\n\n"):
        out += [roff(para.strip()), ".PP"]
    out.pop()
    for s in sections:
        out.append(".SH " + s["title"].upper())
        for e in s["entries"]:
            out += [".TP", term_roff(e["term"]), roff(e["desc"])]
    out += [".SH SEE ALSO", "\\fBretort-workbench\\fR is the window that retort starts without a command.",
            ".PP", "\\fBalembic\\fR(1), \\fBpsql\\fR(1)"]
    return "\n".join(out) + "\n"


def completion(text):
    usage, description, sections, commands, options = model(text)
    def values_case(pairs):
        lines = []
        for flag, value in pairs:
            if not value:
                continue
            if "|" in value:
                lines.append(f"      {flag}) COMPREPLY=($(compgen -W '{' '.join(value.split('|'))}' -- \"$cur\")); return ;;")
            elif value in ("FILE", "CONFIG", "PROGRAM", "DIR", "PATH"):
                lines.append(f"      {flag}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
            else:
                lines.append(f"      {flag}) return ;;")
        return lines
    global_flags = sorted({f for o in options for f, _ in o["flags"]} | {"--help", "--version"})
    global_values = {f: v for o in options for f, v in o["flags"] if v}
    takes = sorted(set(global_values) | {f for c in commands for f, v in c["flags"] if v})
    out = ["# bash completion for retort -- generated from `retort help` by packaging/cli_docs.py",
           "_retort()", "{",
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
           "    local cmd='' npos=0 i w",
           "    for ((i = 1; i < COMP_CWORD; i++)); do",
           "        w=${COMP_WORDS[i]}",
           "        case $w in",
           f"            {'|'.join(takes) if takes else '--'}) ((i++)); continue ;;",
           "            -*) continue ;;",
           "        esac",
           "        if [[ -z $cmd ]]; then cmd=$w; else ((npos++)); fi",
           "    done",
           "    case $prev in"]
    out += values_case(sorted(global_values.items()))
    out += ["    esac",
            "    case $cmd in"]
    for c in commands:
        flags = sorted({f for f, _ in c["flags"]} | set(global_flags))
        out.append(f"    {c['name']})")
        cases = values_case(c["flags"])
        if cases:
            out += ["        case $prev in"] + ["    " + l for l in cases] + ["        esac"]
        out.append(f"        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '{' '.join(flags)}' -- \"$cur\")); return; fi")
        if c["choices"]:
            out.append(f"        if ((npos == 0)); then COMPREPLY=($(compgen -W '{' '.join(c['choices'])}' -- \"$cur\")); fi")
        out.append("        return ;;")
    names = " ".join(c["name"] for c in commands)
    out += ["    '')",
            f"        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '{' '.join(global_flags)}' -- \"$cur\")); return; fi",
            f"        COMPREPLY=($(compgen -W '{names}' -- \"$cur\") $(compgen -d -- \"$cur\"))",
            "        return ;;",
            "    esac",
            "}",
            "complete -F _retort retort"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--retort", required=True, help="the built retort executable")
    ap.add_argument("--version", required=True)
    ap.add_argument("--man", required=True, help="gzipped man page to write")
    ap.add_argument("--completion", required=True)
    a = ap.parse_args()
    help_text = subprocess.run([a.retort, "help"], check=True, capture_output=True, text=True).stdout
    _, _, _, commands, _ = model(help_text)
    if not commands:
        sys.exit("cli_docs.py: `retort help` lists no commands; has its layout changed?")
    with open(a.man, "wb") as f:   # mtime 0: the same input gives the same bytes
        f.write(gzip.compress(man_page(help_text, a.version).encode(), mtime=0))
    with open(a.completion, "w") as f:
        f.write(completion(help_text))


if __name__ == "__main__":
    main()
