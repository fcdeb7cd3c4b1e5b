"""Score greenlint against the blind benchmark: precision, recall and F1 per rule and split.

    python bench/accuracy/materialize.py          # once: labelled files out of the mirrors
    python bench/accuracy/score.py                # tune and held-out tables, tune's errors
    python bench/accuracy/score.py --show held-out   # also list held-out errors (measure only!)
    python bench/accuracy/score.py --self-test    # every positive as a finding: all 1.000

Matching: within one file and one category, findings and positive labels are paired one to
one, nearest first, when the finding's line is within ±2 of the label's line or one of its
`alt_lines` (notebooks: the same cell, lines inside the cell). Labels are lines, so findings of
one category on one line (two `.todense()` calls in one expression) count as one, or as many as
the positives labelled on that line (three calls labelled three times). A paired finding is a true
positive, an unpaired positive a miss, an unpaired finding a false alarm. Findings of a
category the file's entry does not list in `checked` are not scored (they are counted as
"unlabelled"). With no findings precision is 1.000, with no positives recall is 1.000
(scikit-learn's zero_division=1), so an empty row is not mistaken for a failure.

Workflow: improve rules against `tune`; read `held-out` only to measure at the end of a piece
of work. Targets on held-out: precision >= 0.90 and recall >= 0.80 in every category.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from labels import SPLITS, Entry, Label, load_labels  # noqa: E402

TOLERANCE = 2
TARGET_PRECISION, TARGET_RECALL = 0.90, 0.80


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Tally") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Outcome:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[str, Entry, Label]] = field(default_factory=list)
    false_alarms: list[tuple[str, Entry, dict, Label | None]] = field(default_factory=list)
    unlabelled: int = 0
    errors: list[tuple[str, dict]] = field(default_factory=list)


def position(finding: dict) -> tuple[int | None, int]:
    if finding.get("cell") is not None:
        return finding["cell"], finding["cell_line"]
    return None, finding["line"]


def distance(finding: dict, label: Label) -> int | None:
    cell, line = position(finding)
    if cell != label.cell:
        return None
    best = min(abs(line - anchor) for anchor in label.anchors())
    return best if best <= TOLERANCE else None


def pair(findings: list[dict], positives: list[Label]) -> tuple[set[int], set[int]]:
    """One-to-one pairing, nearest pairs first. Returns the paired finding and label indexes."""
    candidates = sorted(
        (d, fi, li)
        for fi, f in enumerate(findings)
        for li, label in enumerate(positives)
        if (d := distance(f, label)) is not None
    )
    used_f: set[int] = set()
    used_l: set[int] = set()
    for _, fi, li in candidates:
        if fi not in used_f and li not in used_l:
            used_f.add(fi)
            used_l.add(li)
    return used_f, used_l


def _per_line(findings: list[dict], positives: list[Label]) -> list[dict]:
    """The findings of one line count once, or as many times as the labels give that line
    positives (three `.toarray()` calls on one line, labelled three times, are three findings)."""
    by_line: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        by_line[position(f)].append(f)
    kept = []
    for (cell, line), group in by_line.items():
        labelled = sum(1 for p in positives if p.cell == cell and p.line == line)
        kept += group[:max(1, labelled)]
    return kept


def nearest_negative(finding: dict, negatives: list[Label]) -> Label | None:
    hits = [(d, n) for n in negatives if (d := distance(finding, n)) is not None]
    return min(hits, key=lambda x: x[0])[1] if hits else None


def score(entries: list[Entry], findings: list[dict]) -> Outcome:
    outcome = Outcome()
    by_file: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        by_file[f["path"]].append(f)
    for entry in entries:
        file_findings = by_file.get(entry.key, [])
        outcome.errors += [(entry.split, f) for f in file_findings if f["code"] == "GL000"]
        outcome.unlabelled += sum(
            1 for f in file_findings if f["code"] not in entry.checked and f["code"] != "GL000"
        )
        for category in sorted(entry.checked):
            positives = [p for p in entry.positives if p.category == category]
            found = _per_line(
                [f for f in file_findings if f["code"] == category], positives)
            negatives = [n for n in entry.negatives if n.category == category]
            paired_f, paired_l = pair(found, positives)
            tally = Tally(len(paired_f), len(found) - len(paired_f), len(positives) - len(paired_l))
            outcome.tallies[(entry.split, category)].add(tally)
            outcome.misses += [(entry.split, entry, p) for i, p in enumerate(positives) if i not in paired_l]
            outcome.false_alarms += [
                (entry.split, entry, f, nearest_negative(f, negatives))
                for i, f in enumerate(found)
                if i not in paired_f
            ]
    return outcome


def table(outcome: Outcome, splits: tuple[str, ...], title: str) -> str:
    rows: dict[str, Tally] = defaultdict(Tally)
    for (split, category), tally in outcome.tallies.items():
        if split in splits:
            rows[category].add(tally)
    total = Tally()
    lines = [f"## {title}", "", "| rule | TP | FP | FN | precision | recall | F1 | target |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for category in sorted(rows):
        t = rows[category]
        total.add(t)
        met = "met" if t.precision >= TARGET_PRECISION and t.recall >= TARGET_RECALL else "missed"
        lines.append(f"| {category} | {t.tp} | {t.fp} | {t.fn} | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | {met} |")
    lines.append(f"| **total** | {total.tp} | {total.fp} | {total.fn} | {total.precision:.3f} | {total.recall:.3f} | {total.f1:.3f} | |")
    return "\n".join(lines)


def where(entry: Entry, label_or_finding) -> str:
    if isinstance(label_or_finding, Label):
        cell, line = label_or_finding.cell, label_or_finding.line
    else:
        cell, line = position(label_or_finding)
    at = f"cell {cell} line {line}" if cell else f"line {line}"
    return f"{entry.repo} {entry.path} {at}"


def details(outcome: Outcome, splits: tuple[str, ...]) -> str:
    lines = [f"## Misses ({', '.join(splits)})", ""]
    for split, entry, label in sorted(outcome.misses, key=lambda m: (m[2].category, m[1].key, m[2].line)):
        if split in splits:
            lines.append(f"- {label.category} {where(entry, label)}: {label.note}")
    lines += ["", f"## False alarms ({', '.join(splits)})", ""]
    for split, entry, finding, negative in sorted(outcome.false_alarms, key=lambda m: (m[2]["code"], m[1].key, m[2]["line"])):
        if split in splits:
            labelled = f" [labelled look-alike: {negative.note}]" if negative else ""
            lines.append(f"- {finding['code']} {where(entry, finding)}: {finding['message'][:160]}{labelled}")
    return "\n".join(lines)


def run_greenlint(entries: list[Entry], corpus: Path, command: list[str], source_root: Path) -> list[dict]:
    files = sorted({e.key for e in entries if (corpus / e.key).is_file()})
    missing = len({e.key for e in entries}) - len(files)
    if missing:
        print(f"warning: {missing} labelled files are not in {corpus}; run materialize.py", file=sys.stderr)
    categories = sorted({c for e in entries for c in e.checked})
    env = dict(os.environ, PYTHONPATH=str(source_root.resolve()))
    proc = subprocess.run(
        [*command, "--format", "json", "--exit-zero", "--no-cache", "--select", ",".join(categories), *files],
        cwd=corpus, capture_output=True, text=True, env=env,
    )
    if proc.returncode != 0:
        sys.exit(f"greenlint failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)["findings"]


def self_test_findings(entries: list[Entry]) -> list[dict]:
    findings = []
    for entry in entries:
        for p in entry.positives:
            finding = {"code": p.category, "path": entry.key, "line": p.line, "message": "self-test"}
            if p.cell is not None:
                finding.update(cell=p.cell, cell_line=p.line, line=0)
            findings.append(finding)
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=HERE / "labels.yaml")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--findings", type=Path, help="score this greenlint JSON report instead of running greenlint")
    parser.add_argument("--greenlint", default=f"{sys.executable} -m greenlint", help="the command that runs greenlint")
    parser.add_argument("--greenlint-root", type=Path, default=ROOT,
                        help="the source tree whose greenlint runs (PYTHONPATH), e.g. an older version's checkout")
    parser.add_argument("--show", choices=("tune", "held-out", "all", "none"), default="tune",
                        help="which split's misses and false alarms to list (default tune)")
    parser.add_argument("--self-test", action="store_true", help="turn every positive into a finding and check the scorer")
    parser.add_argument("--materialized", action="store_true",
                        help="score only the labelled files the corpus holds (a session that fetched part of the "
                             "repositories), instead of counting the others' positives as misses")
    args = parser.parse_args(argv)

    entries = load_labels(args.labels)
    if args.materialized:
        entries = [e for e in entries if (args.corpus / e.key).is_file()]
    if args.self_test:
        findings = self_test_findings(entries)
    elif args.findings:
        findings = json.loads(args.findings.read_text())["findings"]
    else:
        findings = run_greenlint(entries, args.corpus, args.greenlint.split(), args.greenlint_root)
    outcome = score(entries, findings)

    repos = {s: len({e.repo for e in entries if e.split == s}) for s in SPLITS}
    positives = sum(len(e.positives) for e in entries)
    negatives = sum(len(e.negatives) for e in entries)
    print(f"{len(entries)} files, {positives} positives, {negatives} negatives; "
          f"repositories: {repos['tune']} tune, {repos['held-out']} held-out\n")
    for splits, title in ((("tune",), "tune"), (("held-out",), "held-out"), (SPLITS, "all")):
        print(table(outcome, splits, title), end="\n\n")
    print(f"unlabelled findings (category not checked in that file): {outcome.unlabelled}; GL000: {len(outcome.errors)}")
    shown = () if args.show == "none" else SPLITS if args.show == "all" else (args.show,)
    for split, error in outcome.errors:
        if split in shown:
            print(f"  GL000 ({split}) {error['path']}:{error['line']}: {error['message'][:160]}")
    if args.show != "none":
        print()
        print(details(outcome, SPLITS if args.show == "all" else (args.show,)))
    if args.self_test:
        total = Tally()
        for tally in outcome.tallies.values():
            total.add(tally)
        ok = total.fp == 0 and total.fn == 0
        print("SELF-TEST PASSED" if ok else "SELF-TEST FAILED")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
