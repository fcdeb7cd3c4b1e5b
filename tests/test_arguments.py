"""The plain-spelling reader of the check command's options agrees with argparse, built from the
same table, on every argument list it accepts; everything else is left to argparse."""
from hypothesis import given, settings, strategies as st

from greenlint.arguments import CHECK_OPTIONS, UsageError, check_parser, read_plain

WORDS = ["a.py", "src", "-", "", "GL1", "json", "text", "4", "0", "-1", "x", "2.5", "--", "-q", "-j4",
         "-o=out", "--sel", "--help", "--version", "--fix=1", "--jobs=", "--format=sarif", "--seconds=inf"]
NAMES = [name for option in CHECK_OPTIONS for name in option.names]


def _argparse(argv):
    try:
        return vars(check_parser().parse_args(argv))
    except (UsageError, SystemExit):
        return None


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(NAMES + WORDS), max_size=8))
def test_plain_reading_agrees_with_argparse(argv):
    plain = read_plain(argv)
    if plain is not None:
        assert vars(plain) == _argparse(argv), argv


def test_common_spellings_are_read_without_argparse():
    for argv in (["src"], ["a.py", "b.py", "--quiet"], ["--select", "GL1", "--select=GL2", "-j", "2", "-q", "src"],
                 ["--format", "sarif", "-o", "out.sarif", "--exit-zero"], []):
        assert read_plain(argv) is not None, argv
        assert vars(read_plain(argv)) == _argparse(argv)


def test_what_argparse_must_judge_is_left_to_it():
    for argv in (["--help"], ["--version"], ["--sel", "GL1"], ["a.py", "-q", "b.py"], ["-j4"], ["--jobs", "x"],
                 ["--format", "xml"], ["--fix=1"], ["--", "a.py"], ["--output", "-"], ["--unknown"]):
        assert read_plain(argv) is None, argv

