"""What an identifier says about the data it holds: validation (`val_loader`, `X_test`,
`devset`) or training (`train_ds`, `dtrain`). Read word by word, camelCase split. Shared by the
training readers (training_facts) and the rules that ask for a validation pass."""
from __future__ import annotations

import re

# `va` / `tr`: the short split names of `X_tr, X_va, y_tr, y_va = train_test_split(...)`, whole words only
_VAL_TOKENS = {"val", "valid", "validation", "validate", "dev", "test", "eval", "evaluation", "evaluate", "heldout",
               "holdout", "va"}


_VAL_GLUED = re.compile(r"(val|valid|validation|test|dev|eval)(loader|dataloader|loaders|set|data|dataset|ds|dl|iter|gen|generator|batches|x|y)")


_TRAIN_TOKENS = {"train", "training", "trn", "tr"}


def name_tokens(identifier: str, keep_digits: bool = False) -> list[str]:
    """The lower-case words of an identifier (`trainLoader2` -> train, loader); with `keep_digits`
    a word keeps its digits (`fp16`, `bfloat16`: numeric formats are named by their bits)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return [t for t in re.split(r"[_\W]+" if keep_digits else r"[_\W\d]+", spaced.lower()) if t]


def is_val_name(identifier: str) -> bool:
    return any(t in _VAL_TOKENS or _VAL_GLUED.fullmatch(t) for t in name_tokens(identifier))


def is_train_name(identifier: str) -> bool:
    return any(
        t in _TRAIN_TOKENS or re.fullmatch(r"[dx]?train(ing)?(loader|dataloader|set|data|dataset|ds|dl|x|y|pool|matrix)?", t)
        for t in name_tokens(identifier)
    )
